/** Length rules for passwords (NIST SP 800-63B: at least 8, allow long passphrases). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
