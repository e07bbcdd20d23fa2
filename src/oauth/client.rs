//! The three provider calls over awc.
