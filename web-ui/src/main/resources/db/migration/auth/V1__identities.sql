-- Web and API users. Passwords are slow salted hashes (pbkdf2-sha256$iterations$salt$hash).
CREATE TABLE auth_user (
    name          VARCHAR(64)  PRIMARY KEY,
    role          VARCHAR(16)  NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL
);

-- MQTT logins of devices and apps: the username is the thing name; grants are extra topic filters.
-- Revoking deletes the row, so a revoked credential can never be used again.
CREATE TABLE auth_credential (
    thing         VARCHAR(128) PRIMARY KEY,
    password_hash VARCHAR(200) NOT NULL,
    grants        VARCHAR(8192) NOT NULL,
    created_at    BIGINT       NOT NULL
);

-- API tokens: random, shown once, kept only as their SHA-256.
CREATE TABLE auth_token (
    id         VARCHAR(32)  PRIMARY KEY,
    user_name  VARCHAR(64)  NOT NULL REFERENCES auth_user (name) ON DELETE CASCADE,
    token_hash VARCHAR(64)  NOT NULL UNIQUE,
    label      VARCHAR(100),
    created_at BIGINT       NOT NULL
);

-- Browser sessions: the cookie's SHA-256, its CSRF value, and when it ends.
CREATE TABLE auth_session (
    token_hash VARCHAR(64) PRIMARY KEY,
    user_name  VARCHAR(64) NOT NULL REFERENCES auth_user (name) ON DELETE CASCADE,
    csrf       VARCHAR(64) NOT NULL,
    expires_at BIGINT      NOT NULL
);
