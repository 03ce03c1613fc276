package io.rustbucket.sensor.smtp;

/** Where an SMTP conversation stands (RFC 5321 section 3.3). */
enum SmtpState {
    /** Connected; no HELO/EHLO yet (RFC 5321 4.1.1.1). */
    CONNECTED,
    /** Greeted; a mail transaction may begin. */
    GREETED,
    /** MAIL FROM accepted; recipients may follow (RFC 5321 4.1.1.2). */
    MAIL,
    /** At least one RCPT TO accepted; DATA may follow (RFC 5321 4.1.1.3). */
    RCPT
}
