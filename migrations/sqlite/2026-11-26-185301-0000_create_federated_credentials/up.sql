-- Links an identity at a provider (provider, subject) to a local user: for Twitter the
-- provider is 'https://twitter.com' and the subject is the Twitter user id.
CREATE TABLE federated_credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL
);

-- One local user per identity at a provider, even when two first logins race.
CREATE UNIQUE INDEX federated_credentials_provider_subject
    ON federated_credentials (provider, subject);

-- Deleting a user cascades to its credentials: index the child column so that stays cheap.
CREATE INDEX federated_credentials_user_id ON federated_credentials (user_id);
