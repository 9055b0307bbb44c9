//! Go to definition: from a `from` quote to its sentence in the source document, and from a
//! `metric NAME` reference to the rule or `track` that names the metric.

use super::document::{uri_of, Analysis, Documents};
use super::positions;
use crate::model::{Reference, Target};
use crate::source::RuleLoc;
use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location};

pub fn definition(
    documents: &Documents,
    params: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let at = &params.text_document_position_params;
    let document = documents.get(&at.text_document.uri)?;
    let analysis = &document.analysis;
    let offset = positions::offset(analysis.text(), at.position, documents.encoding);
    let location = quote_in_source(analysis, offset, documents)
        .or_else(|| metric_definition(analysis, offset, documents))?;
    Some(GotoDefinitionResponse::Scalar(location))
}

fn quote_in_source(analysis: &Analysis, offset: usize, documents: &Documents) -> Option<Location> {
    let plan = &analysis.plan;
    let quote = plan
        .rules
        .iter()
        .filter_map(|r| r.quote.as_ref())
        .map(|q| (&q.text, &q.loc))
        .chain(plan.skips.iter().map(|s| (&s.quote, &s.quote_loc)))
        .find(|(_, loc)| analysis.holds(loc, offset))?;
    let source = plan.header.as_ref()?.source.as_ref()?;
    let at = source.text.find(quote.0.as_str())?;
    let span = at..at + quote.0.len();
    Some(Location {
        uri: uri_of(&source.path)?,
        range: positions::range(&source.text, &span, documents.encoding),
    })
}

fn metric_definition(
    analysis: &Analysis,
    offset: usize,
    documents: &Documents,
) -> Option<Location> {
    let plan = &analysis.plan;
    let name = plan.rules.iter().find_map(|rule| match &rule.target {
        Target::Relative {
            reference: Reference::Metric { name, loc },
            ..
        } if analysis.holds(loc, offset) => Some(name),
        _ => None,
    })?;
    let target = plan
        .rules
        .iter()
        .find(|r| &r.metric == name)
        .map(|r| &r.metric_loc)
        .or_else(|| plan.tracked(name).map(|t| &t.metric_loc))?;
    location_of(analysis, target, documents)
}

/// Where a place of any of the plan's files is, as the editor names that file.
pub fn location_of(analysis: &Analysis, loc: &RuleLoc, documents: &Documents) -> Option<Location> {
    let file = analysis.plan.files.get(loc.file.0)?;
    let uri = match documents.get_by_path(&file.path) {
        Some(uri) => uri,
        None => uri_of(std::path::Path::new(&file.path))?,
    };
    Some(Location {
        uri,
        range: positions::range(&file.text, &loc.span, documents.encoding),
    })
}
