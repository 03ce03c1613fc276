-- What the attacker saw back (honeypot.response), so the console can replay a session from SQL.
ALTER TABLE sensor_events ADD COLUMN response VARCHAR(4096);
