//! Folding observations into per-(rule, period) tallies as files are read.
//!
//! Every data file is observed into the tally of the rayon job that reads it, and the jobs'
//! tallies are merged pairwise (`Tallies::merge`). A tally keeps only what a verdict or a report
//! needs: each distinct value with its earliest report, its first few places and how many
//! reports gave it, and, for a `summed` rule, the same per reporter. So memory grows with rules
//! × periods × distinct values and with findings, never with the number of files or of agreeing
//! confirmations.
//!
//! Order is defined by place, (file, span), where files are numbered in path order: "first"
//! always means the earliest place, never the first to be read, so merging in any order, on any
//! number of threads, gives the same tallies.

use super::verdict::{Problem, Reading};
use super::Observation;
use crate::diagnostic::Finding;
use crate::load::FigureValue;
use crate::model::RuleId;
use crate::period::Period;
use crate::source::{DataFileId, DataLoc};
use crate::units::Quantity;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// An Fx-style hash over eight bytes at a time: the metric lookup runs once per figure, and
/// SipHash showed in the profile. Keys are the plan's names and the data's reporters and
/// periods; a collision costs time, never a wrong answer.
#[derive(Default)]
pub struct FastHash(u64);

impl std::hash::Hasher for FastHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut hash = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &byte in chunks.remainder() {
            hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
        self.0 = hash;
    }
}

pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHash>>;

/// How many places of one value a report shows; the rest are counted.
pub const PLACES: usize = 3;

/// Whether two reports give the same value: equal readings (units already converted, so
/// 2900万元 equals 0.29亿元), or the same unreadable value.
fn same(
    a_reading: &Result<Reading, Problem>,
    a_value: &FigureValue,
    b_reading: &Result<Reading, Problem>,
    b_value: &FigureValue,
) -> bool {
    match (a_reading, b_reading) {
        (Ok(x), Ok(y)) => x == y,
        (Err(_), Err(_)) => a_value == b_value,
        _ => false,
    }
}

/// Whether two values are written alike: the same digits, scale and unit. Such values read
/// alike for any rule, so a confirmation is counted without being read again.
fn identical(a: &FigureValue, b: &FigureValue) -> bool {
    match (a, b) {
        (FigureValue::Number(x), FigureValue::Number(y)) => {
            x.amount.serialize() == y.amount.serialize()
                && match (x.unit, y.unit) {
                    (None, None) => true,
                    (Some(u), Some(v)) => std::ptr::eq(u, v) || u.name == v.name,
                    _ => false,
                }
        }
        (FigureValue::Done(x), FigureValue::Done(y)) => x == y,
        _ => false,
    }
}

/// Whether two observations report the same value.
pub(super) fn same_value(a: &Observation, b: &Observation) -> bool {
    same(&a.reading, &a.value, &b.reading, &b.value)
}

/// One distinct value reported for a rule and period.
#[derive(Debug, Clone)]
pub(super) struct Distinct {
    /// The earliest report of the value.
    pub first: Observation,
    /// The earliest few places of the value, in order; `first`'s place among them.
    pub places: Vec<DataLoc>,
    /// How many reports gave the value.
    pub reports: usize,
}

impl Distinct {
    fn new(observation: Observation) -> Self {
        Distinct {
            places: vec![observation.value_loc.clone()],
            first: observation,
            reports: 1,
        }
    }

    /// Counts one more report at `loc`; `earlier` builds its observation when it is the
    /// earliest report so far (cloning only then).
    fn add(&mut self, loc: &DataLoc, earlier: impl FnOnce() -> Observation) {
        self.reports += 1;
        // Files of one job are read in path order, so a new place is almost always the last.
        let full = self.places.len() >= PLACES;
        if full && self.places.last().is_some_and(|last| loc >= last) {
            return;
        }
        let at = self.places.partition_point(|p| p < loc);
        self.places.insert(at, loc.clone());
        self.places.truncate(PLACES);
        if at == 0 {
            self.first = earlier();
        }
    }

    /// Counts a report of a value written exactly as `first`'s, keeping `first`'s reading.
    fn add_identical(&mut self, loc: &DataLoc, reporter: &Arc<str>, value: &FigureValue) {
        let first = &self.first;
        let (rule, period, reading) = (first.rule, first.period, first.reading.clone());
        self.add(loc, || Observation {
            rule,
            period,
            reporter: reporter.clone(),
            value: value.clone(),
            value_loc: loc.clone(),
            reading,
        });
    }

    fn merge(&mut self, other: Distinct) {
        self.reports += other.reports;
        if other.first.value_loc < self.first.value_loc {
            self.first = other.first;
        }
        self.places.extend(other.places);
        self.places.sort();
        self.places.truncate(PLACES);
    }
}

/// Adds a report to the distinct values of `values`.
fn add_to(values: &mut Vec<Distinct>, observation: Observation) {
    // Co-leads confirm one value, so the value is usually the first one.
    for distinct in values.iter_mut() {
        if same_value(&distinct.first, &observation) {
            let loc = observation.value_loc.clone();
            distinct.add(&loc, || observation);
            return;
        }
    }
    values.push(Distinct::new(observation));
}

fn merge_into(values: &mut Vec<Distinct>, other: Vec<Distinct>) {
    for distinct in other {
        match values
            .iter_mut()
            .find(|d| same_value(&d.first, &distinct.first))
        {
            Some(existing) => existing.merge(distinct),
            None => values.push(distinct),
        }
    }
}

/// What the reports of one rule and period add up to.
#[derive(Debug, Default, Clone)]
pub(super) struct Tally {
    /// Distinct values; in place order once `finish`ed.
    pub values: Vec<Distinct>,
    /// For a summed rule: each reporter's distinct values (a reporter may not differ from
    /// itself), in place order once `finish`ed.
    pub by_reporter: BTreeMap<Arc<str>, Vec<Distinct>>,
    /// Confirmations of the first value counted here, inline, before they reach it.
    quick: Option<Quick>,
}

/// The first value and its last kept place, copied into the tally. Tallies sit side by side in
/// rule order, as figures come in a file, so counting a confirmation that needs neither a new
/// place nor a new reading touches no other memory: following the pointers to the value was a
/// sixth of a national check.
#[derive(Debug, Clone)]
struct Quick {
    value: FigureValue,
    /// The last of the first value's places once it has all `PLACES`: a later report is only
    /// counted.
    last: (usize, usize, usize),
    /// Confirmations not yet added to the first value's count.
    pending: usize,
}

fn place_key(loc: &DataLoc) -> (usize, usize, usize) {
    (loc.file.0, loc.span.start, loc.span.end)
}

impl Tally {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every report counted.
    pub fn reports(&self) -> usize {
        self.values.iter().map(|d| d.reports).sum()
    }

    /// The earliest report of any value.
    pub fn first(&self) -> Option<&Observation> {
        self.values.first().map(|d| &d.first)
    }

    /// Counts a report of a rule that is not summed when its value is written exactly as the
    /// first value's, the common case of co-leads confirming one figure; false otherwise,
    /// and then the report must be read and `add`ed.
    pub fn confirm(&mut self, reporter: &Arc<str>, value: &FigureValue, loc: &DataLoc) -> bool {
        if let Some(quick) = &mut self.quick {
            if identical(&quick.value, value) && place_key(loc) > quick.last {
                quick.pending += 1;
                return true;
            }
        }
        self.flush();
        match self.values.first_mut() {
            Some(first) if identical(&first.first.value, value) => {
                first.add_identical(loc, reporter, value);
                if let (PLACES, Some(last)) = (first.places.len(), first.places.last()) {
                    self.quick = Some(Quick {
                        value: first.first.value.clone(),
                        last: place_key(last),
                        pending: 0,
                    });
                }
                true
            }
            _ => false,
        }
    }

    /// Adds the confirmations counted inline to the first value.
    fn flush(&mut self) {
        if let Some(quick) = &mut self.quick {
            if let Some(first) = self.values.first_mut() {
                first.reports += std::mem::take(&mut quick.pending);
            }
        }
    }

    /// Adds one report; `observation()` is called only when the report is kept.
    pub fn add(
        &mut self,
        summed: bool,
        reporter: &Arc<str>,
        value: &FigureValue,
        loc: &DataLoc,
        reading: Result<Reading, Problem>,
        observation: impl Fn(Result<Reading, Problem>) -> Observation,
    ) {
        self.flush();
        if summed {
            add_to(
                self.by_reporter.entry(reporter.clone()).or_default(),
                observation(reading.clone()),
            );
            add_to(&mut self.values, observation(reading));
            return;
        }
        for distinct in &mut self.values {
            if same(
                &distinct.first.reading,
                &distinct.first.value,
                &reading,
                value,
            ) {
                distinct.add(loc, || observation(reading));
                return;
            }
        }
        self.values.push(Distinct::new(observation(reading)));
    }

    fn merge(&mut self, mut other: Tally) {
        self.flush();
        other.flush();
        merge_into(&mut self.values, other.values);
        for (reporter, values) in other.by_reporter {
            merge_into(self.by_reporter.entry(reporter).or_default(), values);
        }
    }

    /// Puts values in place order, so "first" means the earliest place.
    pub fn finish(&mut self) {
        self.flush();
        self.quick = None;
        self.values
            .sort_by(|a, b| a.first.value_loc.cmp(&b.first.value_loc));
        for values in self.by_reporter.values_mut() {
            values.sort_by(|a, b| a.first.value_loc.cmp(&b.first.value_loc));
        }
    }
}

/// A unit of the plan, numbered once per run (`Index`): who submitted is tallied by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct UnitId(u32);

impl UnitId {
    /// The unit at place `index` of the run's units (a plan names fewer than 2^32).
    pub fn at(index: usize) -> Self {
        UnitId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    pub fn index(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

/// For each period, the earliest file each unit (by `UnitId`) submitted for it in, or `NONE`:
/// a table the size of the plan's units, however many files there are. (A list of every
/// submission read was a record per file: 33,600 at national scale.)
pub(super) type Submitted = FastMap<Period, Vec<usize>>;

/// No submission of a unit for a period (in `Submitted`).
const NONE: usize = usize::MAX;

/// How many periods a job keeps side by side (tallies in rule order, a table of units): a
/// year's months, quarters, halves and the year, and the year before for growth, with room to
/// spare. Periods beyond these are kept one (rule, period) or (unit, period) at a time, so a
/// file of thousands of periods (a submission for every month since the year 1000) costs what
/// its figures cost, not a row of every rule and every unit for each.
const DENSE_PERIODS: usize = 64;

/// The tallies of one period for the submission being read.
pub(super) enum PeriodSlots<'t> {
    Dense(&'t mut Vec<Tally>),
    Sparse(&'t mut FastMap<(RuleId, Period), Tally>, Period),
}

impl PeriodSlots<'_> {
    /// The tally of `rule` in this period.
    pub fn get(&mut self, rule: RuleId) -> Option<&mut Tally> {
        match self {
            PeriodSlots::Dense(slots) => slots.get_mut(rule.0),
            PeriodSlots::Sparse(tallies, period) => {
                Some(tallies.entry((rule, *period)).or_default())
            }
        }
    }
}

/// The tallies of `period`, side by side if it is one of the job's first `DENSE_PERIODS`.
pub(super) fn period_slots<'t>(
    periods: &'t mut FastMap<Period, Vec<Tally>>,
    sparse: &'t mut FastMap<(RuleId, Period), Tally>,
    period: Period,
    rules: usize,
) -> PeriodSlots<'t> {
    if !periods.contains_key(&period) && periods.len() >= DENSE_PERIODS {
        return PeriodSlots::Sparse(sparse, period);
    }
    PeriodSlots::Dense(
        periods
            .entry(period)
            .or_insert_with(|| vec![Tally::default(); rules]),
    )
}

/// What the files read so far add up to.
#[derive(Debug, Default)]
pub(super) struct Tallies {
    /// Per period, one tally per rule (indexed by `RuleId`), for the first `DENSE_PERIODS`.
    pub periods: FastMap<Period, Vec<Tally>>,
    /// The tallies of any further periods, by rule and period.
    pub sparse: FastMap<(RuleId, Period), Tally>,
    /// Who submitted for which period, and where first, for the first `DENSE_PERIODS`.
    pub submitted: Submitted,
    /// The same for any further periods, by unit and period.
    pub sparse_submitted: FastMap<(UnitId, Period), usize>,
    /// How many submissions were read.
    pub submissions: usize,
    /// Every file of a unit's second and later submissions for one period, with the file of
    /// its first: the repeated reports, read again at the end.
    pub repeated: Vec<(UnitId, Period, DataFileId)>,
    /// Reporters and periods with a submission that gives one metric twice.
    pub repeated_inside: Vec<(UnitId, Period)>,
    pub findings: Vec<Finding>,
    pub figures: usize,
    /// The earliest figure of each tracked metric and period (`track`): no verdict, only a
    /// value for `metric NAME` references.
    pub tracked: BTreeMap<(String, Period), (DataLoc, Quantity)>,
}

/// Keeps `value` at `loc` as the figure of a tracked metric and period if it is the earliest.
pub(super) fn track(
    tracked: &mut BTreeMap<(String, Period), (DataLoc, Quantity)>,
    key: (String, Period),
    loc: &DataLoc,
    value: Quantity,
) {
    let earlier = tracked.get(&key).is_some_and(|(at, _)| at <= loc);
    if !earlier {
        tracked.insert(key, (loc.clone(), value));
    }
}

impl Tallies {
    /// Counts a submission of unit `reporter` (of the plan's `units`) for `period` in file
    /// `file`.
    pub fn submitted(&mut self, reporter: UnitId, period: Period, file: DataFileId, units: usize) {
        self.submissions += 1;
        let first = if self.submitted.contains_key(&period) || self.submitted.len() < DENSE_PERIODS
        {
            let table = self
                .submitted
                .entry(period)
                .or_insert_with(|| vec![NONE; units]);
            unit_slot(table, reporter)
        } else {
            Some(
                self.sparse_submitted
                    .entry((reporter, period))
                    .or_insert(NONE),
            )
        };
        if let Some(first) = first {
            note(first, reporter, period, file.0, &mut self.repeated);
        }
    }

    pub fn merge(mut self, other: Tallies) -> Tallies {
        // Merge the smaller into the larger: most merges meet an empty side.
        let (mut into, from) = if self.periods.len() >= other.periods.len() {
            (std::mem::take(&mut self), other)
        } else {
            (other, std::mem::take(&mut self))
        };
        for (period, tallies) in from.periods {
            match into.periods.get_mut(&period) {
                Some(existing) => {
                    for (slot, tally) in existing.iter_mut().zip(tallies) {
                        if !tally.is_empty() {
                            slot.merge(tally);
                        }
                    }
                }
                None => {
                    into.periods.insert(period, tallies);
                }
            }
        }
        for (period, table) in from.submitted {
            let Some(mine) = into.submitted.get_mut(&period) else {
                into.submitted.insert(period, table);
                continue;
            };
            for (unit, (first, file)) in mine.iter_mut().zip(table).enumerate() {
                if file != NONE {
                    note(first, UnitId::at(unit), period, file, &mut into.repeated);
                }
            }
        }
        for (key, tally) in from.sparse {
            into.sparse.entry(key).or_default().merge(tally);
        }
        for ((unit, period), file) in from.sparse_submitted {
            let first = into.sparse_submitted.entry((unit, period)).or_insert(NONE);
            note(first, unit, period, file, &mut into.repeated);
        }
        into.submissions += from.submissions;
        into.repeated.extend(from.repeated);
        into.repeated_inside.extend(from.repeated_inside);
        into.findings.extend(from.findings);
        for (key, (loc, value)) in from.tracked {
            track(&mut into.tracked, key, &loc, value);
        }
        into.figures += from.figures;
        into
    }

    /// Every non-empty tally, keyed by rule and period, each `finish`ed.
    pub fn into_groups(mut self) -> (BTreeMap<(RuleId, Period), Tally>, Residue) {
        let mut groups: BTreeMap<(RuleId, Period), Tally> = BTreeMap::new();
        for (period, tallies) in self.periods {
            for (i, tally) in tallies.into_iter().enumerate() {
                if !tally.is_empty() {
                    groups.insert((RuleId(i), period), tally);
                }
            }
        }
        // A period may be side by side in one job and one at a time in another.
        for (key, tally) in self.sparse {
            if !tally.is_empty() {
                groups.entry(key).or_default().merge(tally);
            }
        }
        for tally in groups.values_mut() {
            tally.finish();
        }
        let mut sparse_submitted = FastMap::default();
        for ((unit, period), file) in self.sparse_submitted {
            let first = match self.submitted.get_mut(&period) {
                Some(table) => unit_slot(table, unit),
                None => Some(sparse_submitted.entry((unit, period)).or_insert(NONE)),
            };
            if let Some(first) = first {
                note(first, unit, period, file, &mut self.repeated);
            }
        }
        let mut repeated_inside = self.repeated_inside;
        repeated_inside.sort_unstable();
        repeated_inside.dedup();
        let residue = Residue {
            submitted: self.submitted,
            sparse_submitted,
            submissions: self.submissions,
            repeated: self.repeated,
            repeated_inside,
            findings: self.findings,
            figures: self.figures,
            tracked: self.tracked,
        };
        (groups, residue)
    }
}

/// The slot of `unit` in a period's table.
fn unit_slot(table: &mut [usize], unit: UnitId) -> Option<&mut usize> {
    table.get_mut(unit.index())
}

/// Notes a submission of `unit` for `period` in `file` in its slot `first`: the earliest
/// file is kept, and a second submission marks both files as repeats.
fn note(
    first: &mut usize,
    unit: UnitId,
    period: Period,
    file: usize,
    repeated: &mut Vec<(UnitId, Period, DataFileId)>,
) {
    if *first == NONE {
        *first = file;
        return;
    }
    repeated.push((unit, period, DataFileId(*first)));
    repeated.push((unit, period, DataFileId(file)));
    *first = (*first).min(file);
}

/// The rest of the tallies once the groups are taken out.
#[derive(Debug)]
pub(super) struct Residue {
    pub submitted: Submitted,
    /// Submissions of periods beyond the tables (`DENSE_PERIODS`), no (unit, period) of
    /// which is in `submitted` too.
    pub sparse_submitted: FastMap<(UnitId, Period), usize>,
    pub submissions: usize,
    pub repeated: Vec<(UnitId, Period, DataFileId)>,
    /// Reporters and periods with a submission that gives one metric twice, sorted.
    pub repeated_inside: Vec<(UnitId, Period)>,
    pub findings: Vec<Finding>,
    pub figures: usize,
    pub tracked: BTreeMap<(String, Period), (DataLoc, Quantity)>,
}

impl Residue {
    /// Each unit and period that submitted, once.
    pub fn reporters_and_periods(&self) -> impl Iterator<Item = (UnitId, Period)> + '_ {
        let dense = self.submitted.iter().flat_map(|(period, table)| {
            table
                .iter()
                .enumerate()
                .filter(|(_, first)| **first != NONE)
                .map(move |(unit, _)| (UnitId::at(unit), *period))
        });
        dense.chain(self.sparse_submitted.keys().copied())
    }

    /// The earliest file `unit` submitted for `period` in.
    fn first_file(&self, unit: UnitId, period: Period) -> Option<DataFileId> {
        let first = match self.submitted.get(&period) {
            Some(table) => table.get(unit.index()).copied(),
            None => self.sparse_submitted.get(&(unit, period)).copied(),
        };
        first.filter(|f| *f != NONE).map(DataFileId)
    }

    /// Reporters and periods reported more than once, and the files to read again for them.
    pub fn repeats(&self) -> (Vec<(UnitId, Period)>, Vec<DataFileId>) {
        let mut keys: Vec<(UnitId, Period)> = Vec::new();
        let mut files = Vec::new();
        for &(unit, period, file) in &self.repeated {
            keys.push((unit, period));
            files.push(file);
        }
        // A submission that gives one metric twice may be a unit's only one for the period.
        for &(unit, period) in &self.repeated_inside {
            keys.push((unit, period));
            files.extend(self.first_file(unit, period));
        }
        keys.sort_unstable();
        keys.dedup();
        files.sort_unstable();
        files.dedup();
        (keys, files)
    }
}
