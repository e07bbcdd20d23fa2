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
    users (id) {
        id -> Integer,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(federated_credentials -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(federated_credentials, users,);
