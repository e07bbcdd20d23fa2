-- The token credentials of unlinked accounts, still to revoke at X: sealed as they were stored
-- (bound to the credential they belonged to, which is gone), retried until X confirms.
CREATE TABLE token_revocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    credential_id INTEGER NOT NULL,
    protocol TEXT NOT NULL CHECK (protocol IN ('oauth1', 'oauth2')),
    key_id TEXT NOT NULL,
    sealed BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- In seconds since the Unix epoch.
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The retry finds the revocations that are due.
CREATE INDEX token_revocations_next_attempt_at ON token_revocations (next_attempt_at);
