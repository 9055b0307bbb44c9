//! Any bytes given as a TOML submission load without a panic, with spans inside the text.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use plancheck::load::Format;

fuzz_target!(|data: &[u8]| common::load_and_check(Format::Toml, data));
