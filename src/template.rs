//! `plancheck template`: a ready-to-fill submission for one department. (Being written.)

use crate::model::Plan;
use crate::period::Period;

/// The file format of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateFormat {
    Yaml,
    Csv,
    Xlsx,
}

/// The template listing every metric `lead` reports, for `period`, as file bytes. Fails with a
/// message when the unit leads no task.
pub fn render(
    plan: &Plan,
    lead: &str,
    period: Period,
    format: TemplateFormat,
) -> Result<Vec<u8>, String> {
    let _ = (plan, lead, period, format);
    Err("not yet".to_owned())
}
