"""Writes a workbook with openpyxl the way a script fills a form, checks it with plancheck
against the shipped rules, and fails unless plancheck reads it as the README says.

Usage: workbook.py PLANCHECK (the binary; run from the repository root).

The form has a merged title and a 填报单位（盖章） line above a two-row header (完成情况 merged
over 数值 and 计量单位, the other names merged down both rows) and a 填报人 column; its values
are a boolean, a date where a number belongs, and a formula openpyxl stores without a result.
"""

import datetime
import json
import pathlib
import subprocess
import sys
import tempfile

from openpyxl import Workbook

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def write(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报表"
    sheet["A1"] = "2023年兖州区重点任务完成情况表"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "填报单位（盖章）：区科技局"
    sheet.merge_cells("A2:F2")
    for column, name in zip("ABCF", ["填报单位", "期间", "指标", "填报人"]):
        sheet[f"{column}3"] = name
        sheet.merge_cells(f"{column}3:{column}4")
    sheet["D3"] = "完成情况"
    sheet.merge_cells("D3:E3")
    sheet["D4"] = "数值"
    sheet["E4"] = "计量单位"
    rows = [
        ("华勤集团争创省级国际联合实验室", True, ""),
        # 1-5 typed into a General cell: Excel stores 5 January.
        ("新增省级以上创新平台", datetime.date(2024, 1, 5), "家"),
        # The parts stand right of the table; openpyxl writes the formula with no result.
        ("入库科技型中小企业", "=SUM(H7:I7)", "家"),
        ("申报重点科技计划", 16, "项"),
    ]
    for row, (metric, value, unit) in enumerate(rows, start=5):
        for column, cell in zip("ABCDEF", ["区科技局", "2023", metric, value, unit, "张三"]):
            sheet[f"{column}{row}"] = cell
    sheet["D6"].number_format = 'm"月"d"日"'
    sheet["H7"] = 150
    sheet["I7"] = 80
    workbook.save(path)


def main():
    plancheck = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        data = pathlib.Path(tmp) / "data"
        data.mkdir()
        write(data / "区科技局.xlsx")
        run = subprocess.run([plancheck, "check", "--format", "json", str(data)],
                             capture_output=True, text=True, check=False)
    check(run.returncode == 1, f"exit {run.returncode}, expected 1: {run.stderr}")
    report = json.loads(run.stdout)
    notes = sorted(d["code"] for d in report["diagnostics"])
    check(notes == ["plancheck::load::extra-column", "plancheck::load::merged-header",
                    "plancheck::load::title-row", "plancheck::load::title-row"],
          f"diagnostics {notes}")
    results = {r["metric"]: r for r in report["results"] if r.get("reporter") == "区科技局"}
    expected = {
        "华勤集团争创省级国际联合实验室": ("met", None, "填报表!D5"),
        "新增省级以上创新平台": ("invalid", "plancheck::check::date-value", "填报表!D6"),
        "入库科技型中小企业": ("invalid", "plancheck::check::formula-not-calculated", "填报表!D7"),
        "申报重点科技计划": ("met", None, "填报表!D8"),
    }
    for metric, (verdict, code, cell) in expected.items():
        result = results.get(metric)
        check(result is not None, f"{metric}: no result")
        if result is None:
            continue
        got = (result["verdict"], result.get("code") if code else None,
               result["figure_location"]["cell"])
        check(got == (verdict, code, cell), f"{metric}: {got}, expected {(verdict, code, cell)}")
    formula = results.get("入库科技型中小企业", {}).get("message", "")
    check("公式未计算，请在 Excel/WPS 中打开并保存" in formula, f"formula message: {formula}")
    print("openpyxl workbook: read as the README says" if not problems else "")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


main()
