-- A credential without a password hash logs in only with a TLS client certificate whose CN is its
-- thing name: a device that holds a key pair has no password to leak or to guess.
ALTER TABLE auth_credential ALTER COLUMN password_hash SET NULL;
