#!/usr/bin/env python3
"""Writes the fixtures of issue 25 in the shapes people send them, without jixiao:
CSV as WPS saves it (GBK, CRLF, quoted cells with line breaks), xlsx with merged cells,
title rows and two-row headers (openpyxl), and a Word table (python-docx).

    pip install openpyxl python-docx && python3 make_fixtures.py

Each table's expected reading is in tests/all/import_recognition.rs.
"""
import csv
import io
import os

import docx
import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))


def wps_csv(name, rows, encoding="gbk"):
    """A CSV as WPS saves it on Chinese Windows: GBK, CRLF, minimal quoting."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(out.getvalue().encode(encoding))


def workbook(name, rows, merges=(), sheet_title="Sheet1"):
    """An xlsx: numbers as numbers, a merged range keeps only its top-left cell's value."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value == "":
                continue
            try:
                value = float(value) if "." in value else int(value)
            except ValueError:
                pass
            sheet.cell(row=r, column=c, value=value)
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(os.path.join(HERE, name))


# 1. 其中 rows: a budget 其中 row carrying the same 10/9.5 as its 年度资金总额 row, and
#    其中 detail rows without 分值 under 桃树种植面积. Visible rows: 100 points, 98 scored.
qizhong = [
    ["2023年度桃产业发展项目支出绩效自评表", "", "", "", "", "", "", ""],
    ["绩效指标", "", "", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ["一级指标", "二级指标", "三级指标", "", "", "", "", ""],
    ["预算执行率", "年度资金总额", "", "100", "95", "10", "9.5", "部分工程款未到结算期"],
    ["", "其中：本年财政拨款", "", "100", "95", "10", "9.5", ""],
    ["产出指标", "数量指标", "桃树种植面积", "500亩", "500亩", "20", "20", ""],
    ["", "", "其中桃树种植面积（新植）", "300亩", "300亩", "", "", ""],
    ["", "", "其中：桃树种植面积（改造）", "200亩", "200亩", "", "", ""],
    ["", "质量指标", "苗木成活率", "≥90%", "92%", "15", "15", ""],
    ["", "时效指标", "按期完成率", "100%", "100%", "15", "15", ""],
    ["效益指标", "经济效益指标", "户均增收", "≥2000元", "2100元", "15", "15", ""],
    ["", "社会效益指标", "带动就业人数", "≥50人", "45人", "15", "13.5", "部分农户外出务工"],
    ["满意度指标", "服务对象满意度指标", "农户满意度", "≥90%", "95%", "10", "10", ""],
    ["总分", "", "", "", "", "100", "98", ""],
]
workbook(
    "1-qizhong-rows.xlsx",
    qizhong,
    merges=["A1:H1", "A2:C2", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:H3",
            "A4:A5", "A6:A10", "B6:B8", "A11:A12", "A14:E14"],
)

# 2. 分值 only on the block labels (Hubei): the budget header says (20分); goal 1 has one
#    row (40); goal 2's two rows are scored 20 + 20 = 40, full marks, so each is worth its
#    score. Visible rows: 18 + 40 + 40 = 98 of 100.
wps_csv(
    "2-block-points.csv",
    [
        ["项目支出绩效自评表", "", "", "", "", "", "", ""],
        ["项目名称", "乡村道路养护", "", "", "", "", "", ""],
        ["预算执行情况（万元）（20分）", "", "年初预算数", "全年预算数", "全年执行数", "执行率", "得分", ""],
        ["", "年度资金总额", "50", "50", "45", "90.00%", "18", ""],
        ["", "其中：本年财政拨款", "50", "50", "45", "90.00%", "18", ""],
        ["", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分", "偏差原因分析及改进措施"],
        ["年度绩效目标1（40分）", "产出指标", "数量指标", "养护道路里程", "≥30公里", "30公里", "40", ""],
        ["年度绩效目标2（40分）", "效益指标", "社会效益指标", "群众出行便利度", "明显改善", "明显改善", "20", ""],
        ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", "20", ""],
        ["总分", "", "", "", "", "", "98", ""],
    ],
)

# 2. No 分值 a reader can find: the rows add up to 99.6 and the labels do not say how the
#    points split. Not graded, and one problem says why (never 差 for 99.6 of 0).
wps_csv(
    "2-no-points-ungraded.csv",
    [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "得分"],
        ["产出指标", "数量指标", "培训人数", "≥100人", "120人", "30"],
        ["", "质量指标", "培训合格率", "≥95%", "96%", "29.6"],
        ["效益指标\n（30分）", "社会效益指标", "就业人数", "≥50人", "60人", "15"],
        ["", "", "创业人数", "≥10人", "12人", "15"],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "95%", "10"],
    ],
)

# 3. Header words of other provinces, in a workbook: 考核指标 for the leaf level, 权数,
#    a 得分计算方法 column that is not the score, 指标得分(分); a block name broken over
#    two lines in its cell; blank template rows 指标1/指标2; a 可选项 row left empty.
workbook(
    "3-header-words.xlsx",
    [
        ["部门整体支出绩效评价评分表", "", "", "", "", ""],
        ["一级指标", "二级指标", "考核指标", "权数", "得分计算方法", "指标得分(分)"],
        ["产出\n（60分）", "数量", "任务完成率", "30", "完成率×权数", "30"],
        ["", "", "指标1", "", "", ""],
        ["", "", "指标2", "", "", ""],
        ["", "质量", "验收合格率", "30", "合格率×权数", "27"],
        ["效益\n（40分）", "社会效益", "服务覆盖率", "20", "覆盖率×权数", "20"],
        ["", "", "经济效益（可选项）", "", "", ""],
        ["", "满意度", "满意度", "20", "满意度×权数", "18"],
        ["合计", "", "", "100", "", "95"],
    ],
    merges=["A1:F1", "A3:A6", "B3:B5", "A7:A9", "B7:B8"],
)

# 3. Traditional characters, as a Hong Kong or Taiwan template or a converted file has
#    them, with 自评分 and 复核分 both present: the first is the score.
wps_csv(
    "3-traditional.csv",
    [
        ["一級指標", "二級指標", "三級指標", "分值", "自評分", "復核分", "扣分理由"],
        ["決策", "項目立項", "立項依據充分性", "10", "10", "9", ""],
        ["過程", "資金管理", "資金到位率", "20", "18", "18", "資金未及時到位"],
        ["產出", "產出數量", "實際完成率", "40", "40", "38", ""],
        ["效益", "項目效益", "社會效益", "30", "27", "27", "覆蓋面不足"],
    ],
    encoding="utf-8-sig",
)

# 3. A Word table with 指标名称(三级指标), 指标权重(分) and 得分系数 (the score is
#    权重 × 系数): 20×1 + 30×0.9 + 50×0.8 = 87.
document = docx.Document()
document.add_paragraph("专项资金绩效评价评分表")
table = document.add_table(rows=1, cols=5)
for cell, text in zip(table.rows[0].cells, ["一级指标", "二级指标", "指标名称(三级指标)", "指标权重(分)", "得分系数"]):
    cell.text = text
for row in [
    ["决策", "项目立项", "立项规范性", "20", "1"],
    ["产出", "产出数量", "完成率", "30", "0.9"],
    ["效益", "社会效益", "群众受益面", "50", "0.8"],
]:
    cells = table.add_row().cells
    for cell, text in zip(cells, row):
        cell.text = text
document.save(os.path.join(HERE, "3-score-factor.docx"))

# 5. Printed totals outside a 总分 row: a header cell 自评得分：98 and a sentence under
#    the table saying 95, where the rows give 94.
wps_csv(
    "5-printed-totals.csv",
    [
        ["项目支出绩效自评表", "", "", "", "自评得分：98", ""],
        ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分理由"],
        ["决策", "项目立项", "立项依据充分性", "10", "10", ""],
        ["过程", "资金管理", "资金到位率", "20", "18", "资金到位晚"],
        ["产出", "产出数量", "实际完成率", "40", "38", "未全部完成"],
        ["效益", "项目效益", "社会效益", "30", "28", "宣传不足"],
        ["经自评，本项目自评总分95分，评价等级为优。", "", "", "", "", ""],
    ],
)

# 5. Budget columns on the indicator header's row: the budget rows are read as the
#    budget, their 执行率 checked (100% printed, 80.45% computed), not as indicators.
workbook(
    "5-budget-in-header.xlsx",
    [
        ["项目支出绩效自评表", "", "", "", "", "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "年初预算数", "全年预算数", "全年执行数", "执行率", "年度指标值", "实际完成值", "分值", "得分"],
        ["预算执行率", "年度资金总额", "", "100", "100", "80.45", "100%", "", "", "10", "8.05"],
        ["", "其中：财政拨款", "", "80", "80", "64.45", "/", "", "", "/", "/"],
        ["", "其他资金", "", "20", "20", "16", "/", "", "", "/", "/"],
        ["产出指标", "数量指标", "服务人数", "", "", "", "", "≥200人", "200人", "50", "50"],
        ["效益指标", "社会效益指标", "生活便利度", "", "", "", "", "明显提升", "明显提升", "30", "30"],
        ["满意度指标", "满意度指标", "服务对象满意度", "", "", "", "", "≥90%", "95%", "10", "10"],
        ["总分", "", "", "", "", "", "", "", "", "100", "98.05"],
    ],
    merges=["A1:K1", "A3:A5", "A9:I9"],
)

# 6. One score column per expert and their printed mean (平均分): the mean is the score.
workbook(
    "6-expert-columns.xlsx",
    [
        ["乡村振兴衔接资金项目专家评分汇总表", "", "", "", "", "", "", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "分值", "专家1", "专家2", "专家3", "专家4", "专家5", "平均分"],
        ["决策", "项目立项", "立项依据充分性", "10", "9", "9", "8", "10", "9", "9"],
        ["过程", "资金管理", "资金到位率", "20", "18", "19", "20", "18", "20", "19"],
        ["产出", "产出数量", "实际完成率", "35", "30", "32", "31", "33", "34", "32"],
        ["效益", "项目效益", "社会效益", "35", "30", "31", "32", "33", "29", "31"],
        ["合计", "", "", "100", "", "", "", "", "", "91"],
    ],
    merges=["A1:J1", "A7:C7"],
)
