// @generated automatically by Diesel CLI.

diesel::table! {
    federated_credentials (id) {
        id -> Integer,
        user_id -> Integer,
        provider -> Text,
        subject -> Text,
    }
}

diesel::table! {
    federated_tokens (credential_id) {
        credential_id -> Integer,
        protocol -> Text,
        key_id -> Text,
        sealed -> Binary,
        expires_at -> Nullable<BigInt>,
        needs_reauthorization -> Bool,
        updated_at -> BigInt,
    }
}

diesel::table! {
    token_revocations (id) {
        id -> Integer,
        credential_id -> Integer,
        protocol -> Text,
        key_id -> Text,
        sealed -> Binary,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(federated_credentials -> users (user_id));
diesel::joinable!(federated_tokens -> federated_credentials (credential_id));

diesel::table! {
    job_locks (name) {
        name -> Text,
        holder -> Text,
        expires_at_ms -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    federated_credentials,
    federated_tokens,
    job_locks,
    token_revocations,
    users,
);
