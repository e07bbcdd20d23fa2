-- Leases of jobs that must never run twice at once, even from two instances (the move of
-- stored OAuth 1.0a token credentials to OAuth 2.0): one row per running job, taken by
-- inserting it, or by taking over a row whose lease has run out.
CREATE TABLE job_locks (
    name TEXT PRIMARY KEY NOT NULL,
    -- Who holds the lease: an id each run of the job makes up.
    holder TEXT NOT NULL,
    -- When the lease runs out unless renewed, in milliseconds since the Unix epoch.
    expires_at_ms BIGINT NOT NULL
);
