//! What can go wrong while loading a data file.
//!
//! Errors hold byte spans only, never the file's text: the report attaches the source when it
//! renders, and small errors travel cheaply between threads.

use super::Format;
use crate::source::Span;
use miette::SourceSpan;
use std::fmt;

/// A data file, or one submission in it, that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    #[error("无法读取填报文件 {path}：{reason}")]
    #[diagnostic(
        code(plancheck::load::io),
        help("检查路径是否正确、文件是否存在且可读；其余文件照常检查。")
    )]
    Io { path: String, reason: String },

    /// A FIFO, device or socket where a data file was expected: refused unopened.
    #[error("填报文件 {path} 未读取：{reason}")]
    #[diagnostic(
        code("plancheck::files::not-regular"),
        help("plancheck 只读取普通文件：命名管道会让读取无限等待，设备文件可能没有尽头。")
    )]
    NotRegular { path: String, reason: String },

    #[error("填报文件 {path} 未读取：{reason}")]
    #[diagnostic(
        code("plancheck::files::too-large"),
        help("真实的填报文件很少超过几兆字节；确需检查更大的文件时，用命令行选项调高上限。")
    )]
    TooLarge { path: String, reason: String },

    /// Chinese spreadsheets are often saved as GBK; say so rather than showing mojibake.
    #[error("填报文件 {path} 不是 UTF-8 编码：第 {line} 行（第 {offset} 字节）起无法解码{guess}")]
    #[diagnostic(
        code("plancheck::load::encoding"),
        help("请以 UTF-8 编码重新保存；在 Excel 中选择“CSV UTF-8（逗号分隔）”，在记事本中选择“UTF-8”。")
    )]
    NotUtf8 {
        path: String,
        line: usize,
        offset: usize,
        /// `，疑似 GBK/GB18030 编码` or empty.
        guess: String,
    },

    /// Chinese Excel saves CSV as GBK/GB18030 by default; the file is read, and the note says
    /// how, so a wrong guess is visible.
    #[error("CSV 文件按 GBK/GB18030 编码读取（不是 UTF-8）")]
    #[diagnostic(
        code("plancheck::load::gbk"),
        severity(Warning),
        help(
            "中文版 Excel 默认以 GBK 保存 CSV；如内容显示为乱码，请另存为“CSV UTF-8（逗号分隔）”。"
        )
    )]
    ReadAsGbk {
        #[label("按 GBK/GB18030 解码")]
        span: miette::SourceSpan,
    },

    /// A column clerks add to a form (填报人, 联系电话, …): read past, and said so.
    #[error("“{name}”列不读取")]
    #[diagnostic(
        code("plancheck::load::extra-column"),
        severity(Warning),
        help("plancheck 只读取填报单位、期间、指标、数值、计量单位列；此列内容不参与检查。")
    )]
    ExtraColumn {
        name: String,
        #[label("不读取")]
        span: miette::SourceSpan,
    },

    /// A title or note above a workbook's header row (a merged 2023年…情况表): read past, and
    /// said so.
    #[error("表头上方的“{text}”不读取")]
    #[diagnostic(
        code("plancheck::load::title-row"),
        severity(Warning),
        help("表头是含有 填报单位、期间、指标、数值 等列名的那一行；其上方的标题、说明行不参与检查。")
    )]
    TitleRow {
        text: String,
        #[label("不读取")]
        span: miette::SourceSpan,
    },

    /// A merged cell of a workbook's header that spans columns: a group title above its
    /// columns' names, or one name over several columns, of which only the first is read.
    #[error("{}", merged_header(name, range, read, unread, *group))]
    #[diagnostic(
        code("plancheck::load::merged-header"),
        severity(Warning),
        help("每个列名占一列：合并的分组标题不作列名，列名取自其下一行；一个列名跨几列时只读取第一列。")
    )]
    MergedHeader {
        name: String,
        /// `D2:E2`.
        range: String,
        /// The column read under the name (`D`).
        read: String,
        /// The columns under it that hold values and are not read (`E`, `E、F`).
        unread: String,
        /// A group title (完成情况) whose columns are named in the row below, rather than a
        /// name merged over columns.
        group: bool,
        #[label("合并的表头")]
        span: miette::SourceSpan,
    },

    #[error("不支持的文件格式：{path}（“.{extension}”）")]
    #[diagnostic(
        code(plancheck::load::format),
        help("填报文件须为 .json、.yaml、.yml、.toml、.csv 或 .xlsx 文件；旧版 .xls 工作簿请在 Excel 或 WPS 中“另存为”Excel 工作簿（*.xlsx）。")
    )]
    Format { path: String, extension: String },

    /// An .xlsx whose parts declare more bytes than the limit: a zip bomb is refused before
    /// anything is inflated.
    #[error(
        "工作簿 {path} 解压后为 {size}，超过上限 {limit}（可用 --max-unpacked-size 调整），未读取"
    )]
    #[diagnostic(
        code("plancheck::load::unpacked-too-large"),
        help("填报工作簿解压后通常不过几兆字节；过大的多半是损坏或恶意的文件。")
    )]
    UnpackedTooLarge {
        path: String,
        size: String,
        limit: String,
    },

    #[error("工作簿 {path} 的单元格超过 {limit} 个（可用 --max-cells 调整），未读取")]
    #[diagnostic(
        code("plancheck::load::too-many-cells"),
        help("填报表只需每个指标一行；请删去无关的工作表或区域。")
    )]
    TooManyCells { path: String, limit: u64 },

    #[error(
        "填报文件 {path} 有 {count} 个数值，超过上限 {limit} 个（可用 --max-figures 调整），未检查"
    )]
    #[diagnostic(
        code("plancheck::load::too-many-figures"),
        help("一个部门的填报通常只有几十到几百个数值；请拆分文件，或调高上限。")
    )]
    TooManyFigures {
        path: String,
        count: u64,
        limit: u64,
    },

    #[error("{format} 语法错误：{message}")]
    #[diagnostic(code(plancheck::load::syntax))]
    Syntax {
        format: Format,
        /// The parser's own message.
        message: String,
        #[label("无法解析")]
        span: SourceSpan,
        #[help]
        help: &'static str,
    },

    #[error("{problem}")]
    #[diagnostic(code(plancheck::load::shape))]
    Shape {
        problem: ShapeProblem,
        #[label("{label}")]
        span: SourceSpan,
        label: &'static str,
        #[help]
        help: &'static str,
    },

    #[error("填报期间无法识别")]
    #[diagnostic(
        code("plancheck::load::bad-period"),
        help(
            "期间可写作 2023、2023-06、2023-Q2、2023-H1，或 2023年、2023年6月、2023年第二季度、2023年上半年。"
        )
    )]
    BadPeriod {
        #[label("无法识别的期间")]
        span: SourceSpan,
    },

    /// A problem in one cell of a workbook. A workbook has no text to underline, so the cell's
    /// name (`填报表!D3`) leads the message; code, help and labels are the inner error's.
    #[error("{cell}：{error}")]
    #[diagnostic(forward(error))]
    InCell { cell: String, error: Box<LoadError> },

    #[error("嵌套超过 {limit} 层")]
    #[diagnostic(
        code("plancheck::load::too-deep"),
        help("填报文件只需几层：填报列表 → 填报 → 指标 → {{value, unit}}。")
    )]
    TooDeep {
        limit: usize,
        #[label("从这里起超过 {limit} 层")]
        span: SourceSpan,
    },
}

impl LoadError {
    /// A file that was not read, for the reason `refusal` gives.
    pub(super) fn refused(path: &str, refusal: &crate::files::Refusal) -> Self {
        let path = path.to_owned();
        let reason = refusal.describe();
        match refusal {
            crate::files::Refusal::NotRegular(_) => LoadError::NotRegular { path, reason },
            crate::files::Refusal::TooLarge { .. } => LoadError::TooLarge { path, reason },
            _ => LoadError::Io { path, reason },
        }
    }

    /// Names the file in an error about the file as a whole, made where its path is unknown.
    pub(super) fn set_path(&mut self, file: &str) {
        match self {
            LoadError::NotUtf8 { path, .. }
            | LoadError::UnpackedTooLarge { path, .. }
            | LoadError::TooManyCells { path, .. }
            | LoadError::TooManyFigures { path, .. } => file.clone_into(path),
            _ => {}
        }
    }

    pub(super) fn syntax(format: Format, message: impl Into<String>, span: Span) -> Self {
        LoadError::Syntax {
            format,
            message: message.into(),
            span: span.into(),
            help: syntax_help(format),
        }
    }

    pub(super) fn shape(problem: ShapeProblem, span: Span) -> Self {
        LoadError::Shape {
            problem,
            span: span.into(),
            label: problem.label(),
            help: problem.help(),
        }
    }

    pub(super) fn bad_period(span: Span) -> Self {
        LoadError::BadPeriod { span: span.into() }
    }

    pub(super) fn too_deep(span: Span) -> Self {
        LoadError::TooDeep {
            limit: super::MAX_DEPTH,
            span: span.into(),
        }
    }

    pub(super) fn in_cell(cell: String, error: LoadError) -> Self {
        LoadError::InCell {
            cell,
            error: Box::new(error),
        }
    }

    /// The workbook cell the error is about, as `Sheet1!C12`, if it is about one.
    pub fn cell(&self) -> Option<&str> {
        match self {
            LoadError::InCell { cell, .. } => Some(cell),
            _ => None,
        }
    }

    /// The byte span the error points at, if it points anywhere.
    pub fn span(&self) -> Option<Span> {
        match self {
            LoadError::InCell { error, .. } => error.span(),
            LoadError::Io { .. }
            | LoadError::NotRegular { .. }
            | LoadError::TooLarge { .. }
            | LoadError::NotUtf8 { .. }
            | LoadError::Format { .. }
            | LoadError::UnpackedTooLarge { .. }
            | LoadError::TooManyCells { .. }
            | LoadError::TooManyFigures { .. } => None,
            LoadError::Syntax { span, .. }
            | LoadError::Shape { span, .. }
            | LoadError::BadPeriod { span }
            | LoadError::ReadAsGbk { span }
            | LoadError::ExtraColumn { span, .. }
            | LoadError::TitleRow { span, .. }
            | LoadError::MergedHeader { span, .. }
            | LoadError::TooDeep { span, .. } => Some(span.offset()..span.offset() + span.len()),
        }
    }
}

/// What a merged header cell does to the columns under it.
fn merged_header(name: &str, range: &str, read: &str, unread: &str, group: bool) -> String {
    match (group, unread.is_empty()) {
        (true, true) => {
            format!("表头的合并单元格“{name}”（{range}）是分组标题，不作列名；列名取自其下一行")
        }
        (true, false) => format!(
            "表头的合并单元格“{name}”（{range}）是分组标题，不作列名；其下 {unread} 列没有列名，不读取"
        ),
        (false, _) => {
            format!("表头的合并单元格“{name}”跨 {range}，只读取 {read} 列，{unread} 列不读取")
        }
    }
}

fn syntax_help(format: Format) -> &'static str {
    match format {
        Format::Json => {
            "文本须加双引号（\"92.3%\"）；NaN、Infinity 不是 JSON 数值，需要时写成文本。"
        }
        Format::Yaml => {
            "检查缩进与每个冒号后的空格；以 %、@、*、& 开头的值须加引号，如 unit: \"%\"。"
        }
        Format::Toml => {
            "TOML 的中文键名须加引号，如 \"受污染耕地安全利用率\" = \"92.3%\"；文本值也须加引号。"
        }
        Format::Csv => "每行的列数须与表头一致；含逗号的单元格须用双引号括起。",
        Format::Xlsx => {
            "须为 Excel 工作簿（.xlsx）；旧版 .xls 或 WPS 格式请在 Excel 中“另存为”Excel 工作簿（*.xlsx），有密码保护的请先取消密码。"
        }
    }
}

/// A key of a submission, named in shape errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Reporter,
    Period,
    Figures,
    Metric,
    Value,
    Unit,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Reporter => "填报单位（reporter）",
            Field::Period => "期间（period）",
            Field::Figures => "指标（figures）",
            Field::Metric => "指标名称（metric）",
            Field::Value => "数值（value）",
            Field::Unit => "计量单位（unit）",
        })
    }
}

/// Why a submission does not have the shape of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeProblem {
    /// The file holds no submission at all.
    NoSubmissions,
    /// A document or list item is not a mapping.
    NotASubmission,
    MissingField(Field),
    EmptyField(Field),
    /// A reporter, metric name or unit that is a number, list or mapping.
    NotText(Field),
    DuplicateKey,
    UnknownKey,
    FiguresNotMapping,
    /// A figure's value is a list, a date or something else no figure can be.
    WrongValueType,
    /// `{…}` as a value without `value`, or with keys other than value, unit and note.
    UnknownValueKey,
    /// Anchors and aliases would let a small file expand into a huge one.
    YamlAlias,
    CsvNoHeader,
    CsvMissingColumn(Field),
    CsvUnknownColumn,
    CsvDuplicateColumn,
    /// A workbook none of whose sheets has a header row (below at most a few title rows).
    XlsxNoTable,
}

const SUBMISSION_HELP: &str =
    "一份填报有 reporter（填报单位）、period（期间）和 figures（“指标名称: 数值”的映射）；\
多份填报写成列表（TOML 用 [[submissions]]）。完整结构见 `plancheck schema submission`。";

const CSV_HELP: &str = "CSV 或 Excel 表头为 reporter,period,metric,value,unit（或 填报单位,期间,指标,数值,计量单位），\
unit 列可省略，另可有 note/备注、task/任务、target/目标 列（不读取）；Excel 表头上方可有标题行（不读取）。\
完整结构见 `plancheck schema submission`。";

impl ShapeProblem {
    fn label(self) -> &'static str {
        match self {
            ShapeProblem::NoSubmissions => "这里没有填报",
            ShapeProblem::NotASubmission => "这不是一份填报",
            ShapeProblem::MissingField(_) => "应在这里补上",
            ShapeProblem::EmptyField(_) => "为空",
            ShapeProblem::NotText(_) => "应为文本",
            ShapeProblem::DuplicateKey => "重复的键",
            ShapeProblem::UnknownKey | ShapeProblem::UnknownValueKey => "不认识的键",
            ShapeProblem::FiguresNotMapping => "应为映射",
            ShapeProblem::WrongValueType => "无法作为指标值",
            ShapeProblem::YamlAlias => "别名",
            ShapeProblem::CsvNoHeader => "缺少表头",
            ShapeProblem::CsvMissingColumn(_) => "表头",
            ShapeProblem::CsvUnknownColumn => "不认识的列",
            ShapeProblem::CsvDuplicateColumn => "重复的列",
            ShapeProblem::XlsxNoTable => "没有填报表",
        }
    }

    fn help(self) -> &'static str {
        match self {
            ShapeProblem::CsvNoHeader
            | ShapeProblem::CsvMissingColumn(_)
            | ShapeProblem::CsvUnknownColumn
            | ShapeProblem::CsvDuplicateColumn
            | ShapeProblem::XlsxNoTable => CSV_HELP,
            ShapeProblem::UnknownValueKey => {
                "带单位的写法为 {value: 3.2, unit: 亿元}，可另加 note/备注；\
                 value 也可写作 数值，unit 也可写作 单位 或 计量单位。见 `plancheck schema submission`。"
            }
            ShapeProblem::YamlAlias => {
                "填报文件不支持 YAML 锚点（&name）与别名（*name），请直接写出内容。见 `plancheck schema submission`。"
            }
            _ => SUBMISSION_HELP,
        }
    }
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeProblem::NoSubmissions => f.write_str("文件中没有填报"),
            ShapeProblem::NotASubmission => {
                f.write_str("填报应为包含 reporter、period、figures 的映射")
            }
            ShapeProblem::MissingField(field) => write!(f, "缺少{field}"),
            ShapeProblem::EmptyField(field) => write!(f, "{field}为空"),
            ShapeProblem::NotText(field) => write!(f, "{field}应为文本"),
            ShapeProblem::DuplicateKey => f.write_str("同一填报中键重复"),
            ShapeProblem::UnknownKey => {
                f.write_str("不认识的键：填报只有 reporter、period、figures（及 note）")
            }
            ShapeProblem::FiguresNotMapping => {
                f.write_str("指标（figures）应为“指标名称: 数值”的映射")
            }
            ShapeProblem::WrongValueType => {
                f.write_str("指标值应为数值、文本、done/true/false 或 {value, unit}")
            }
            ShapeProblem::UnknownValueKey => {
                f.write_str("不认识的键：带单位的指标值只有 value、unit（及 note）")
            }
            ShapeProblem::YamlAlias => f.write_str("不支持 YAML 锚点与别名"),
            ShapeProblem::CsvNoHeader => f.write_str("CSV 文件缺少表头"),
            // Worded for both tables: a workbook's header is read by the same code.
            ShapeProblem::CsvMissingColumn(field) => write!(f, "表头缺少{field}列"),
            ShapeProblem::CsvUnknownColumn => f.write_str(
                "表头有不认识的列：可用的列为 reporter/填报单位、period/期间、metric/指标、\
                 value/数值、unit/计量单位、note/备注、task/任务、target/目标",
            ),
            ShapeProblem::CsvDuplicateColumn => f.write_str("表头中同一列出现两次"),
            ShapeProblem::XlsxNoTable => f.write_str(
                "工作簿中没有填报表：没有哪个工作表的前几行是 reporter、period、metric、value 等列名组成的表头",
            ),
        }
    }
}
