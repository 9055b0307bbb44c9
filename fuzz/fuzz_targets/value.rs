//! Any text read as a reported value gives a value without a panic, and a number converts to
//! every unit of its dimension and back exactly (or refuses to, when it does not fit).
#![no_main]

use libfuzzer_sys::fuzz_target;
use plancheck::load::{parse_value, FigureValue};
use plancheck::units::{all_names, format_amount, lookup};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let FigureValue::Number(quantity) = parse_value(&text) else {
        return;
    };
    let _ = format_amount(quantity.amount);
    let _ = quantity.to_string();
    let Some(from) = quantity.unit else {
        return;
    };
    for to in all_names().into_iter().filter_map(lookup) {
        let Ok(Some(there)) = quantity.convert_to(Some(to)) else {
            continue;
        };
        if let Ok(Some(back)) = there.convert_to(Some(from)) {
            assert_eq!(
                back.amount, quantity.amount,
                "{quantity} → {there} → {back}"
            );
        }
    }
});
