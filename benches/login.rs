//! The login benchmark (placeholder).
fn main() {}
