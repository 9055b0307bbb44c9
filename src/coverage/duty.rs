//! Responsibility statements of a plan item: `（牵头单位：区发改局；责任单位：各镇街）`,
//! `(责任领导:张三;牵头单位:区发改局)`, a line `牵头单位：…` under the item, or a table's
//! 牵头单位 / 责任单位 / 完成时限 columns.

/// Who answers for an item and by when, as the document says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duty {
    /// 牵头单位 / 牵头部门.
    pub lead: Vec<String>,
    /// 责任单位 / 配合单位 / 责任部门: units that share the work and may report.
    pub units: Vec<String>,
    /// 责任领导 / 牵头领导: the leaders answerable.
    pub leaders: Vec<String>,
    /// 完成时限 / 完成时间, verbatim.
    pub due: Option<String>,
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Lead,
    Units,
    Leaders,
    Due,
}

/// Labels, longest first where one starts another.
const LABELS: &[(&str, Role)] = &[
    ("牵头单位", Role::Lead),
    ("牵头部门", Role::Lead),
    ("责任单位", Role::Units),
    ("责任部门", Role::Units),
    ("配合单位", Role::Units),
    ("配合部门", Role::Units),
    ("参与单位", Role::Units),
    ("责任领导", Role::Leaders),
    ("牵头领导", Role::Leaders),
    ("分管领导", Role::Leaders),
    ("完成时限", Role::Due),
    ("完成时间", Role::Due),
    ("时间节点", Role::Due),
];

/// The role a table header or a line's label names.
pub fn role_of(label: &str) -> Option<Role> {
    let label = label.trim();
    LABELS
        .iter()
        .find(|(l, _)| *l == label)
        .map(|&(_, r)| r)
        .or_else(|| (label == "时限").then_some(Role::Due))
}

/// `牵头单位：区发改局` → the role and the text after the label, if `text` starts with one.
pub fn labelled(text: &str) -> Option<(Role, &str)> {
    let text = text.trim_start();
    LABELS.iter().find_map(|&(label, role)| {
        let rest = text.strip_prefix(label)?.trim_start();
        let rest = rest
            .strip_prefix(['：', ':'])
            .or_else(|| rest.strip_prefix('为'))?;
        Some((role, rest.trim()))
    })
}

impl Duty {
    /// Reads `牵头单位：甲、乙；责任单位：丙` (one or several labelled parts). Returns false
    /// when the text does not start with a label.
    pub fn read(&mut self, text: &str) -> bool {
        let mut any = false;
        // Parts are cut at ；; and at a space or ， before another label.
        let mut rest = text.trim();
        while let Some((role, after)) = labelled(rest) {
            any = true;
            let end = next_label(after).unwrap_or(after.len());
            let (value, next) = after.split_at(end);
            self.add(role, value);
            rest = next.trim_start_matches([' ', '　', '；', ';', '，', ',']);
        }
        any
    }

    pub fn add(&mut self, role: Role, value: &str) {
        let value = value.trim().trim_end_matches(['；', ';', '，', ',', '。']);
        match role {
            Role::Lead => self.lead.extend(units(value)),
            Role::Units => self.units.extend(units(value)),
            Role::Leaders => self.leaders.extend(units(value)),
            Role::Due => {
                if !value.is_empty() {
                    self.due = Some(value.to_owned());
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lead.is_empty()
            && self.units.is_empty()
            && self.leaders.is_empty()
            && self.due.is_none()
    }
}

/// Where the next label starts in `text`, after a separator.
fn next_label(text: &str) -> Option<usize> {
    text.char_indices()
        .filter(|(_, c)| matches!(c, '；' | ';' | ' ' | '　' | '，' | ','))
        .find(|(at, c)| {
            text.get(at + c.len_utf8()..)
                .is_some_and(|r| labelled(r.trim_start_matches([' ', '　'])).is_some())
        })
        .map(|(at, _)| at)
}

/// Unit names from `区发改局、区财政局,各镇街 区统计局`. `各县(市)、区人民政府` is one name:
/// the 、 there is inside the name of a kind of unit, not between two units.
pub fn units(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for piece in text.split(['、', '，', ',', '；', ';', ' ', '　', '/']) {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        if let Some(last) = names.last_mut() {
            if last.starts_with('各') && last.ends_with(['）', ')']) {
                last.push('、');
                last.push_str(piece);
                continue;
            }
        }
        names.push(piece.to_owned());
    }
    names
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failed unwrap is the test failing
mod tests {
    use super::*;

    #[test]
    fn labelled_parts_split_into_roles_and_units() {
        let mut duty = Duty::default();
        assert!(duty.read("责任领导:张三;牵头单位:区发改局、区统计局"));
        assert!(
            duty.read("责任单位：各县(市)、区人民政府 配合单位：区财政局 完成时限：2023年12月底")
        );
        assert_eq!(duty.lead, ["区发改局", "区统计局"]);
        assert_eq!(duty.units, ["各县(市)、区人民政府", "区财政局"]);
        assert_eq!(duty.leaders, ["张三"]);
        assert_eq!(duty.due.as_deref(), Some("2023年12月底"));
        assert!(!Duty::default().read("地区生产总值增长8%"));
        assert_eq!(role_of("完成时限"), Some(Role::Due));
        assert_eq!(role_of("目标任务"), None);
    }
}
