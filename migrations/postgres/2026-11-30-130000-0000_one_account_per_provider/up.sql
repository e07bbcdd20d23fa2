-- A user has at most one account at each provider: two links of different X accounts racing
-- for one user (two tabs) leave one linked, the other refused, on every backend.
CREATE UNIQUE INDEX federated_credentials_provider_user_id
    ON federated_credentials (provider, user_id);
