//! Reading the login form a `POST` of the login path carries: small, quick, form-encoded.

use std::{collections::HashMap, time::Duration};

use actix_web::{dev::ServiceRequest, rt::time::timeout, HttpMessage as _};
use futures_util::StreamExt as _;

/// The largest login form read, in bytes (a token, a return-to, a few fields).
const MAX_FORM_BYTES: usize = 4096;
/// How long the body may take to arrive.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The form's fields (the last value of a repeated name wins), or why it was not read.
pub(crate) async fn read(
    req: &mut ServiceRequest,
) -> Result<HashMap<String, String>, &'static str> {
    let mut payload = req.take_payload();
    let body = timeout(READ_TIMEOUT, async move {
        let mut body = Vec::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| "the form could not be read")?;
            if body.len() + chunk.len() > MAX_FORM_BYTES {
                return Err("the form is too large");
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    })
    .await
    .map_err(|_| "the form did not arrive in time")??;
    Ok(url::form_urlencoded::parse(&body).into_owned().collect())
}
