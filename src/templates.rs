//! The indicator templates shipped with the program (`indicator_templates/`), built into
//! the binary so 新建 works anywhere, with no files beside the program.

use std::path::Path;

use crate::model::Evaluation;
use crate::storage::{self, StorageError};

/// One template: the name the command line takes and the title users read.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    pub name: &'static str,
    pub title: &'static str,
    text: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        name: "project",
        title: "项目支出绩效评价（决策10 / 过程20 / 产出35 / 效益35，财预〔2020〕10号附2）",
        text: include_str!("../indicator_templates/project.ron"),
    },
    Template {
        name: "project-15-25-25-35",
        title: "项目支出绩效评价（决策15 / 过程25 / 产出25 / 效益35）",
        text: include_str!("../indicator_templates/project-15-25-25-35.ron"),
    },
    Template {
        name: "self-assessment",
        title: "项目支出绩效自评表（预算执行率10 / 产出50 / 效益30 / 满意度10，财预〔2020〕10号附1）",
        text: include_str!("../indicator_templates/self-assessment.ron"),
    },
    Template {
        name: "self-assessment-cost",
        title: "项目支出绩效自评表·含成本指标（预算执行率10 / 成本20 / 产出40 / 效益20 / 满意度10，财预〔2021〕101号）",
        text: include_str!("../indicator_templates/self-assessment-cost.ron"),
    },
    Template {
        name: "department",
        title: "部门整体支出绩效评价（投入 / 过程 / 产出 / 效果，财预〔2013〕53号）",
        text: include_str!("../indicator_templates/department.ron"),
    },
];

/// Every shipped template, in the order the chooser shows them.
pub fn all() -> &'static [Template] {
    TEMPLATES
}

/// Why a template could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("没有名为“{name}”的模板。可用的模板：{available}")]
    Unknown { name: String, available: String },
    #[error(transparent)]
    Damaged(#[from] StorageError),
}

impl Template {
    /// A new, unscored document from this template.
    pub fn document(&self) -> Result<Evaluation, StorageError> {
        storage::from_ron(self.text, Path::new(self.name))
    }
}

/// A new document from the template called `name`.
pub fn load(name: &str) -> Result<Evaluation, TemplateError> {
    let template =
        TEMPLATES
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| TemplateError::Unknown {
                name: name.to_owned(),
                available: TEMPLATES
                    .iter()
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join("、"),
            })?;
    Ok(template.document()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::format2;
    use crate::scoring::summarize;
    use crate::validate::{Severity, validate};

    fn weights(doc: &Evaluation) -> Vec<(String, String)> {
        summarize(doc)
            .groups
            .iter()
            .map(|g| (g.name.clone(), format2(g.totals.max_points)))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn every_template_loads_is_worth_100_and_has_only_unscored_warnings() {
        for template in all() {
            let doc = template.document().unwrap();
            let summary = summarize(&doc);
            assert_eq!(
                format2(summary.totals.max_points),
                "100.00",
                "{}",
                template.name
            );
            for problem in validate(&doc, &summary) {
                let unscored = problem.message == "尚未评分"
                    || problem.message == "尚未填写全年执行数，尚无得分"
                    || problem.message == "尚未填写实际完成值，尚无得分";
                assert!(
                    problem.severity == Severity::Warning && unscored,
                    "{}: {} {}",
                    template.name,
                    problem.path,
                    problem.message
                );
            }
        }
    }

    #[test]
    fn templates_carry_the_published_weights() {
        let w = |name| weights(&load(name).unwrap());
        assert_eq!(
            w("project"),
            pairs(&[
                ("决策", "10.00"),
                ("过程", "20.00"),
                ("产出", "35.00"),
                ("效益", "35.00")
            ])
        );
        assert_eq!(
            w("project-15-25-25-35"),
            pairs(&[
                ("决策", "15.00"),
                ("过程", "25.00"),
                ("产出", "25.00"),
                ("效益", "35.00")
            ])
        );
        assert_eq!(
            w("self-assessment"),
            pairs(&[
                ("预算执行率", "10.00"),
                ("产出指标", "50.00"),
                ("效益指标", "30.00"),
                ("满意度指标", "10.00")
            ])
        );
        assert_eq!(
            w("self-assessment-cost"),
            pairs(&[
                ("预算执行率", "10.00"),
                ("成本指标", "20.00"),
                ("产出指标", "40.00"),
                ("效益指标", "20.00"),
                ("满意度指标", "10.00")
            ])
        );
        assert_eq!(
            w("department"),
            pairs(&[
                ("投入", "10.00"),
                ("过程", "30.00"),
                ("产出", "30.00"),
                ("效果", "30.00")
            ])
        );
    }

    #[test]
    fn ids_are_handed_out_and_criteria_kept() {
        let doc = load("project").unwrap();
        let mut ids = std::collections::HashSet::new();
        doc.visit(&mut |node, _| assert!(ids.insert(node.id) && node.id.0 > 0));
        let leaf = doc
            .find_by_names(&["过程", "资金管理", "资金到位率"])
            .unwrap();
        assert!(
            leaf.criteria
                .starts_with("资金到位率=（实际到位资金/预算资金）")
        );
    }

    #[test]
    fn self_assessment_templates_name_the_rule_set_their_criteria_quote() {
        let set = |name| crate::ruleset::of(&load(name).unwrap()).name.clone();
        assert_eq!(set("self-assessment"), "财预〔2020〕10号");
        assert_eq!(set("self-assessment-cost"), "财预〔2021〕101号");
    }

    #[test]
    fn an_unknown_name_lists_the_available_ones() {
        let err = load("xyz").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("没有名为“xyz”的模板。可用的模板：project、"),
            "{err}"
        );
    }
}
