-- The token credentials of a linked account, sealed (XChaCha20-Poly1305) under the key named
-- by key_id: OAuth 1.0a token and secret, or OAuth 2.0 access token, refresh token, expiry
-- and scopes. Only what is no secret is in the clear.
CREATE TABLE federated_tokens (
    credential_id INTEGER PRIMARY KEY
        REFERENCES federated_credentials(id) ON DELETE CASCADE,
    protocol TEXT NOT NULL CHECK (protocol IN ('oauth1', 'oauth2')),
    key_id TEXT NOT NULL,
    sealed BYTEA NOT NULL,
    -- When the OAuth 2.0 access token expires, in seconds since the Unix epoch.
    expires_at BIGINT,
    -- X refused the stored tokens: the user must sign in again.
    needs_reauthorization BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL
);

-- Re-sealing under a new key finds the rows of the old ones.
CREATE INDEX federated_tokens_key_id ON federated_tokens (key_id);
