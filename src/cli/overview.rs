//! The season overview (`jixiao overview`) as the command line prints it.

use crate::overview::{Overview, Pair};

use super::pad;

/// The overview as the command line prints it.
pub(super) fn text(overview: &Overview) -> String {
    let mut text = format!(
        "共 {} 个项目{}\n",
        overview.projects.len(),
        overview.files_note()
    );
    text.push_str(&format!(
        "{}{}{}{}{}项目名称\n",
        pad("名次", 6),
        pad("综合得分", 10),
        pad("绩效评定级别", 24),
        pad("类型", 10),
        pad("年度", 6)
    ));
    for (index, p) in overview.projects.iter().enumerate() {
        let grade = p.rating.clone().unwrap_or_else(|| {
            format!(
                "{}（已评 {}/{}）",
                crate::scoring::INCOMPLETE,
                p.scored,
                p.applicable
            )
        });
        text.push_str(&format!(
            "{}{}{}{}{}{}\n",
            pad(&(index + 1).to_string(), 6),
            pad(&p.total, 10),
            pad(&grade, 24),
            pad(p.kind, 10),
            pad(&p.year, 6),
            p.name
        ));
    }
    let counts: Vec<String> = overview
        .ratings_in_order()
        .into_iter()
        .map(|(grade, n)| format!("{grade} {n}"))
        .collect();
    text.push_str(&format!("级别：{}\n", counts.join("，")));
    let inflated: Vec<&Pair> = overview.pairs.iter().filter(|p| p.inflated).collect();
    if !overview.pairs.is_empty() {
        text.push_str(&format!(
            "自评与专家评分：{} 对，其中自评高出 10 分以上 {} 个\n",
            overview.pairs.len(),
            inflated.len()
        ));
        for pair in inflated {
            text.push_str(&format!(
                "  {}（{}）：自评 {}，专家 {}，高出 {}\n",
                pair.name, pair.year, pair.self_total, pair.expert_total, pair.gap
            ));
        }
    }
    for theme in overview.themes.iter().take(5) {
        text.push_str(&format!(
            "常见扣分：{}（{} 次，{} 个项目）\n",
            theme.text,
            theme.count,
            theme.projects.len()
        ));
    }
    for file in &overview.unreadable {
        text.push_str(&format!("无法读取：{}\n", file.message));
    }
    for path in &overview.skipped {
        text.push_str(&format!("跳过（没有指标表）：{}\n", path.display()));
    }
    text
}
