DROP TABLE federated_tokens;
