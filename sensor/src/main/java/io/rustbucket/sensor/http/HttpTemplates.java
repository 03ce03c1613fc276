package io.rustbucket.sensor.http;

/** Pages as the imitated server and applications return them. */
final class HttpTemplates {
    private HttpTemplates() {}

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Not Allowed";
            case 413 -> "Request Entity Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            default -> "Error";
        };
    }

    /** nginx's default page on Debian/Ubuntu. */
    static String welcome() {
        return """
                <!DOCTYPE html>
                <html>
                <head>
                <title>Welcome to nginx!</title>
                <style>
                    body { width: 35em; margin: 0 auto; font-family: Tahoma, Verdana, Arial, sans-serif; }
                </style>
                </head>
                <body>
                <h1>Welcome to nginx!</h1>
                <p>If you see this page, the nginx web server is successfully installed and
                working. Further configuration is required.</p>

                <p>For online documentation and support please refer to
                <a href="http://nginx.org/">nginx.org</a>.<br/>
                Commercial support is available at
                <a href="http://nginx.com/">nginx.com</a>.</p>

                <p><em>Thank you for using nginx.</em></p>
                </body>
                </html>
                """;
    }

    /** A WordPress login form; {@code error} is shown above it after a failed attempt. */
    static String wpLogin(String error) {
        return """
                <!DOCTYPE html>
                <html lang="en-US">
                <head>
                <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
                <title>Log In &lsaquo; Blog &#8212; WordPress</title>
                <meta name='robots' content='max-image-preview:large, noindex, noarchive' />
                </head>
                <body class="login no-js login-action-login wp-core-ui">
                <div id="login">
                <h1><a href="https://wordpress.org/">Powered by WordPress</a></h1>
                %s
                <form name="loginform" id="loginform" action="/wp-login.php" method="post">
                <p><label for="user_login">Username or Email Address</label>
                <input type="text" name="log" id="user_login" class="input" value="" size="20" autocapitalize="off" autocomplete="username" /></p>
                <div class="user-pass-wrap"><label for="user_pass">Password</label>
                <input type="password" name="pwd" id="user_pass" class="input password-input" value="" size="20" autocomplete="current-password" /></div>
                <p class="submit"><input type="submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />
                <input type="hidden" name="redirect_to" value="/wp-admin/" /><input type="hidden" name="testcookie" value="1" /></p>
                </form>
                </div>
                </body>
                </html>
                """.formatted(
                error.isEmpty() ? "" : "<div id=\"login_error\" class=\"notice notice-error\">" + error + "</div>");
    }
}
