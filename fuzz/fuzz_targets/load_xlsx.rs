//! Any bytes given as an Excel workbook load without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plancheck::load::{load_bytes, Format};
use plancheck::source::DataFileId;

fuzz_target!(|data: &[u8]| {
    let _ = load_bytes(DataFileId(0), Format::Xlsx, data);
});
