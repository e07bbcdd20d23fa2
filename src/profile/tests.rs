//! Profiles from X's documented `/2/users/me` example and verify_credentials objects shaped
//! like passport-twitter's fixtures, plus broken and hostile replies.

use super::*;

const USERS_ME: &str = r#"{"data":{"id":"2244994945","name":"X Developers","username":"XDevelopers","created_at":"2013-12-14T04:35:55.000Z","description":"The voice of the X developer community","verified":true,"profile_image_url":"https://pbs.twimg.com/profile_images/...","public_metrics":{"followers_count":583423,"following_count":2048,"tweet_count":14052,"listed_count":1672}}}"#;

/// A verify_credentials object like passport-twitter's `theSeanCook.json` (trimmed).
fn sean_cook(extra: &str) -> String {
    format!(
        r#"{{"contributors_enabled":false,"created_at":"Sat May 09 17:58:22 +0000 2009","id":38895958,"id_str":"38895958","name":"Sean Cook","profile_image_url":"http://a0.twimg.com/profile_images/1751506047/dead_sexy_normal.JPG","profile_image_url_https":"https://si0.twimg.com/profile_images/1751506047/dead_sexy_normal.JPG","screen_name":"theSeanCook","status":{{"id":287015063478026240}},"verified":false{extra}}}"#
    )
}

#[test]
fn users_me_documented_example() {
    let profile = Profile::from_users_me(USERS_ME.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.provider, "twitter");
    assert_eq!(profile.id, "2244994945");
    assert_eq!(profile.username, "XDevelopers");
    assert_eq!(profile.display_name.as_deref(), Some("X Developers"));
    assert_eq!(profile.photos, ["https://pbs.twimg.com/profile_images/..."]);
    assert!(profile.emails.is_empty());
    assert_eq!(profile.source, ProfileSource::UsersMe);
    let raw = profile.raw.unwrap_or_default();
    assert_eq!(raw["public_metrics"]["tweet_count"], 14052);
    assert!(raw.get("data").is_none(), "raw is the data object");
}

#[test]
fn users_me_optional_fields() {
    let body =
        r#"{"data":{"id":"6253282","username":"xapi","confirmed_email":"api@example.test"}}"#;
    let profile = Profile::from_users_me(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.emails, ["api@example.test"]);
    assert_eq!((profile.display_name, profile.photos.len()), (None, 0));
    // Wrong-typed or blank optional fields are left out, not fatal.
    let body = r#"{"data":{"id":"1","username":"a","name":7,"profile_image_url":null,"confirmed_email":""}}"#;
    let profile = Profile::from_users_me(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.display_name, None);
    assert!(profile.photos.is_empty() && profile.emails.is_empty());
}

#[test]
fn users_me_errors() {
    let reject = |body: &str| {
        Profile::from_users_me(body.as_bytes())
            .err()
            .unwrap_or_default()
    };
    let partial = r#"{"errors":[{"detail":"Could not find user with id: [1].","title":"Not Found Error","type":"https://api.twitter.com/2/problems/resource-not-found"}]}"#;
    assert_eq!(
        reject(partial),
        "the provider returned an error: Could not find user with id: [1]."
    );
    assert_eq!(
        reject(r#"{"errors":[{"title":"Unauthorized"}]}"#),
        "the provider returned an error: Unauthorized"
    );
    assert!(reject(r#"{"data":null}"#).contains("no `data`"));
    assert!(reject(r#"{"data":[]}"#).contains("no `data`"));
    for data in [
        r#"{"username":"a"}"#,
        r#"{"id":2244994945,"username":"a"}"#,
        r#"{"id":"","username":"a"}"#,
        r#"{"id":"12a","username":"a"}"#,
        r#"{"id":"-1","username":"a"}"#,
        r#"{"id":"99999999999999999999","username":"a"}"#,
    ] {
        let error = reject(&format!(r#"{{"data":{data}}}"#));
        assert!(error.contains("`data.id`"), "{data}: {error}");
    }
    for username in [
        r#""#,
        r#","username":"""#,
        r#","username":5"#,
        r#","username":"x y""#,
        r#","username":"x\n""#,
        r#","username":"ab\u202Ecd""#,
        r#","username":"\u2066ab""#,
        r#","username":"ab\u061C""#,
    ] {
        let error = reject(&format!(r#"{{"data":{{"id":"1"{username}}}}}"#));
        assert_eq!(error, "`username` is missing or not a handle", "{username}");
    }
}

#[test]
fn verify_credentials_like_passport() {
    let profile = Profile::from_verify_credentials(sean_cook("").as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.id, "38895958");
    assert_eq!(profile.username, "theSeanCook");
    assert_eq!(profile.display_name.as_deref(), Some("Sean Cook"));
    assert_eq!(
        profile.photos,
        ["https://si0.twimg.com/profile_images/1751506047/dead_sexy_normal.JPG"]
    );
    assert!(profile.emails.is_empty());
    assert_eq!(profile.source, ProfileSource::VerifyCredentials);
    let raw = profile.raw.unwrap_or_default();
    assert_eq!(raw["status"]["id"].as_u64(), Some(287015063478026240));

    let with_email = sean_cook(r#","email":"theSeanCook@example.test""#);
    let profile =
        Profile::from_verify_credentials(with_email.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.emails, ["theSeanCook@example.test"]);
    for no_email in [r#","email":null"#, r#","email":"""#, r#","email":false"#] {
        let profile = Profile::from_verify_credentials(sean_cook(no_email).as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(profile.emails.is_empty(), "{no_email}");
    }
}

#[test]
fn verify_credentials_ids_never_go_through_floats() {
    let id_of = |body: &str| Profile::from_verify_credentials(body.as_bytes()).map(|p| p.id);
    // passport-twitter's rsarver fixture without `id_str`.
    assert_eq!(
        id_of(r#"{"id":795649,"screen_name":"rsarver","name":"Ryan Sarver"}"#),
        Ok("795649".to_owned())
    );
    assert_eq!(
        id_of(r#"{"id":1234567890123456789,"screen_name":"a"}"#),
        Ok("1234567890123456789".to_owned())
    );
    assert_eq!(
        id_of(r#"{"id":18446744073709551615,"screen_name":"a"}"#),
        Ok("18446744073709551615".to_owned())
    );
    // `id_str` wins, even over a disagreeing `id`; an empty one falls back to `id`.
    assert_eq!(
        id_of(r#"{"id":1,"id_str":"1234567890123456789","screen_name":"a"}"#),
        Ok("1234567890123456789".to_owned())
    );
    assert_eq!(
        id_of(r#"{"id":7,"id_str":"","screen_name":"a"}"#),
        Ok("7".to_owned())
    );
    assert_eq!(
        id_of(r#"{"id":7,"id_str":null,"screen_name":"a"}"#),
        Ok("7".to_owned())
    );
    for bad in [
        r#""id":1.5"#,
        r#""id":1e3"#,
        r#""id":-5"#,
        r#""id":18446744073709551616"#,
        r#""id":"795649""#,
        r#""id":null"#,
        r#""id_str":"12x""#,
        r#""id_str":" 1""#,
    ] {
        let body = format!(r#"{{{bad},"screen_name":"a"}}"#);
        assert!(id_of(&body).is_err(), "{bad}");
    }
}

#[test]
fn verify_credentials_errors() {
    let reject = |body: &[u8]| {
        Profile::from_verify_credentials(body)
            .err()
            .unwrap_or_default()
    };
    assert!(reject(br#"{"id_str":"1"}"#).contains("`screen_name`"));
    assert!(reject(br#"{"id_str":"1","screen_name":["a"]}"#).contains("`screen_name`"));
    assert!(reject(br#"{"screen_name":"a"}"#).contains("no `id_str` or `id`"));
    assert_eq!(
        reject(br#"{"errors":[{"code":89,"message":"Invalid or expired token."}]}"#),
        "the provider returned an error: Invalid or expired token."
    );
    assert_eq!(reject(b"[]"), "the reply is JSON but not an object");
    let html = reject(b"<!DOCTYPE html>\n<html><head><title>Over capacity</title></head></html>");
    assert!(html.starts_with("the reply is not JSON ("), "{html}");
    assert!(
        html.ends_with("it starts with `<!DOCTYPE html> <html><head><title>Over…`"),
        "{html}"
    );
    assert!(reject(b"").starts_with("the reply is not JSON ("));
    let binary = reject(b"\xff\xfe\x00\x01");
    assert!(!binary.contains("starts with"), "{binary}");
    // A huge body is quoted only briefly.
    let huge = format!("{}{}", "A".repeat(1 << 20), "{");
    assert!(reject(huge.as_bytes()).len() < 200);
    let huge_error = format!(
        r#"{{"errors":[{{"message":"{}"}}]}}"#,
        "spam ".repeat(10_000)
    );
    assert!(reject(huge_error.as_bytes()).chars().count() < 260);
}

/// The display name both parsers make of `name`; they must agree.
fn display_name_of(name: &str) -> Option<String> {
    let data = serde_json::json!({"id": "1", "username": "a", "name": name});
    let users_me = serde_json::json!({ "data": data }).to_string();
    let users_me = Profile::from_users_me(users_me.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let user = serde_json::json!({"id_str": "1", "screen_name": "a", "name": name}).to_string();
    let verify =
        Profile::from_verify_credentials(user.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(users_me.display_name, verify.display_name, "{name:?}");
    users_me.display_name
}

#[test]
fn display_names_lose_bidirectional_and_control_characters() {
    // A right-to-left override (which shows "gnp.exe" as "exe.png"), and an isolate.
    assert_eq!(
        display_name_of("Mallory \u{202e}gnp.exe").as_deref(),
        Some("Mallory gnp.exe")
    );
    assert_eq!(
        display_name_of("\u{2066}Ada\u{2069} Lovelace").as_deref(),
        Some("Ada Lovelace")
    );
    let every_bidi_control = "\u{61c}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\
                              \u{2066}\u{2067}\u{2068}\u{2069}";
    assert_eq!(
        display_name_of(&format!("A{every_bidi_control}da")).as_deref(),
        Some("Ada")
    );
    // C0 and C1 controls, a line break among them: nothing can start a new log line.
    assert_eq!(
        display_name_of("Ada\r\n\u{0}\u{1b}[31m\u{85}\u{7f}Lovelace").as_deref(),
        Some("Ada[31mLovelace")
    );
    // Other characters stay as they are, inner spaces included.
    assert_eq!(
        display_name_of("Zoë  ☃ 😀 Ünïcödé").as_deref(),
        Some("Zoë  ☃ 😀 Ünïcödé")
    );
}

#[test]
fn display_names_are_trimmed_and_none_when_nothing_is_left() {
    assert_eq!(display_name_of("  Ada \u{3000}").as_deref(), Some("Ada"));
    // Trimmed after the controls are gone.
    assert_eq!(
        display_name_of("\u{202e} \tAda\n \u{2069}").as_deref(),
        Some("Ada")
    );
    for nothing in [
        "",
        "   ",
        "\u{202e}\u{2066}\u{2069}\u{200f}\u{61c}",
        "\n\t\r\u{0}\u{1b}\u{85}",
        " \u{202e} \u{7} ",
    ] {
        assert_eq!(display_name_of(nothing), None, "{nothing:?}");
    }
}

#[test]
fn display_names_are_cut_to_fifty_characters_on_a_char_boundary() {
    let fifty = "é".repeat(50);
    assert_eq!(display_name_of(&fifty), Some(fifty.clone()));
    // 200 characters of one, two, three and four bytes: the first 50 are kept, whole.
    let long = "aé☃😀".repeat(50);
    let cut = display_name_of(&long).unwrap_or_default();
    assert_eq!(cut.chars().count(), 50);
    assert_eq!(cut, long.chars().take(50).collect::<String>());
    // Controls do not count; a cut that ends on a space loses it.
    let padded = format!("{}\u{202e}{}", "b".repeat(30), "c".repeat(20));
    assert_eq!(
        display_name_of(&padded),
        Some(format!("{}{}", "b".repeat(30), "c".repeat(20)))
    );
    let spaced = format!("{} {}", "d".repeat(49), "e".repeat(10));
    assert_eq!(display_name_of(&spaced), Some("d".repeat(49)));
}

#[test]
fn access_token_profile_and_serialization() {
    let profile = Profile::new("6253282", "xapi");
    assert_eq!(
        (profile.id.as_str(), profile.username.as_str()),
        ("6253282", "xapi")
    );
    assert_eq!(
        (profile.source, profile.raw),
        (ProfileSource::AccessToken, None)
    );
    let profile = Profile::from_users_me(USERS_ME.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(&profile).unwrap_or_default();
    assert_eq!(json["id"], "2244994945");
    assert_eq!(json["provider"], "twitter");
    assert!(json.get("source").is_none());
}
