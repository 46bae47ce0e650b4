//! Documents of a given size for the benchmarks.

use jixiao::model::{Evaluation, Indicator};
use rust_decimal::Decimal;

/// 4 一级 × `groups` 二级 × `leaves` 三级, every leaf scored (varied by `seed`), with a
/// 扣分理由 and a 评分标准, as a real table has.
pub fn document(groups: usize, leaves: usize, seed: i64) -> Evaluation {
    let mut doc = Evaluation::default();
    let mut roots = Vec::new();
    for (a, name) in ["决策", "过程", "产出", "效益"].into_iter().enumerate() {
        let mut level2 = Vec::new();
        for b in 0..groups {
            let mut level3 = Vec::new();
            for c in 0..leaves {
                let id = doc.new_id();
                let mut leaf =
                    Indicator::leaf(id, format!("三级指标{a}-{b}-{c}"), Decimal::new(5, 2));
                leaf.scoring.score = Some(Decimal::new((seed + c as i64) % 6, 2));
                leaf.scoring.reason = "资料不全，扣分".into();
                leaf.criteria = "评价要点：是否按计划完成".into();
                level3.push(leaf);
            }
            let id = doc.new_id();
            level2.push(Indicator::group(id, format!("二级指标{b}"), level3));
        }
        let id = doc.new_id();
        roots.push(Indicator::group(id, name, level2));
    }
    doc.indicators = roots;
    doc
}
