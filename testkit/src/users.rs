//! The provider's users ([`MockUser`]), indexed by id and by screen name once when the provider
//! is built.

use std::{borrow::Cow, collections::HashMap};

/// A user the local provider can sign in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockUser {
    /// The numeric user id, as a string (e.g. `"1001"`).
    pub id: String,
    /// The handle (`screen_name` / `username`).
    pub screen_name: String,
    /// The display name.
    pub name: String,
    /// The email the provider returns when asked for one.
    pub email: Option<String>,
}

impl MockUser {
    /// A user with the given id, handle and display name, and no email.
    pub fn new(
        id: impl Into<String>,
        screen_name: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            screen_name: screen_name.into(),
            name: name.into(),
            email: None,
        }
    }

    /// The same user with an email address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The avatar URL the provider reports for this user
    /// (`https://pbs.twimg.com/profile_images/<id>/<screen_name>_normal.jpg`).
    pub fn profile_image_url(&self) -> String {
        format!(
            "https://pbs.twimg.com/profile_images/{}/{}_normal.jpg",
            crate::signature::percent_encode(&self.id),
            crate::signature::percent_encode(&self.screen_name)
        )
    }
}

/// The users a provider knows, with O(1) lookups by id and by screen name.
///
/// When two users share an id (or a screen name, ignoring ASCII case), lookups return the first
/// one added, as a linear search over the list would.
#[derive(Debug)]
pub(crate) struct Users {
    /// Every user, in the order they were added.
    list: Vec<MockUser>,
    /// Index into `list` of the first user with each id.
    by_id: HashMap<String, usize>,
    /// Index into `list` of the first user with each ASCII-lowercased screen name.
    by_screen_name: HashMap<String, usize>,
}

impl Users {
    /// Indexes `list`, keeping its order.
    pub fn new(list: Vec<MockUser>) -> Self {
        let mut by_id = HashMap::with_capacity(list.len());
        let mut by_screen_name = HashMap::with_capacity(list.len());
        for (index, user) in list.iter().enumerate() {
            by_id.entry(user.id.clone()).or_insert(index);
            by_screen_name
                .entry(user.screen_name.to_ascii_lowercase())
                .or_insert(index);
        }
        Self {
            list,
            by_id,
            by_screen_name,
        }
    }

    /// Every user, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, MockUser> {
        self.list.iter()
    }

    /// The first user with this exact id.
    pub fn by_id(&self, id: &str) -> Option<&MockUser> {
        self.by_id.get(id).map(|&index| &self.list[index])
    }

    /// The first user whose screen name equals `screen_name` ignoring ASCII case (as
    /// [`str::eq_ignore_ascii_case`] compares).
    pub fn by_screen_name(&self, screen_name: &str) -> Option<&MockUser> {
        let key = if screen_name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(screen_name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(screen_name)
        };
        self.by_screen_name
            .get(key.as_ref())
            .map(|&index| &self.list[index])
    }
}
