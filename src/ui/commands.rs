//! The command table: every command a person gives the window, with its Chinese label,
//! its shortcuts and the action it asks for. The menus, the keyboard shortcuts, a row's
//! context menu and 帮助 → 快捷键 are all generated from it, so a shortcut shown is a
//! shortcut that works.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use strum::IntoEnumIterator;

use super::Action;
use crate::command::Editor;

/// A command of the window. `Command::iter()` gives every one, in the order of this
/// list, which is the order 帮助 → 快捷键 shows them: a new command cannot be left out
/// of the shortcuts and the help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumIter)]
pub enum Command {
    New,
    NewPanel,
    PreparePanel,
    FillFromTable,
    Submit,
    Withdraw,
    History,
    Open,
    OpenFolder,
    Save,
    SaveAs,
    ImportTable,
    ProjectInfo,
    Quit,
    Undo,
    Redo,
    CopyTable,
    AddSibling,
    AddChild,
    Rename,
    Delete,
    MoveUp,
    MoveDown,
    ExpandAll,
    CollapseAll,
    Library,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ToggleDark,
    Rules,
    Shortcuts,
    About,
}

/// What a command needs to know to be enabled and to build its action.
pub struct CommandContext<'a> {
    pub editor: &'a Editor,
    pub has_selection: bool,
    /// A cell holds a figure being typed that is not in the document yet: undo gives
    /// up that typing first.
    pub uncommitted: bool,
    pub dark: bool,
    pub zoom: f32,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

impl Command {
    /// The commands on a row's context menu.
    pub const ROW: [Self; 6] = [
        Self::AddSibling,
        Self::AddChild,
        Self::Rename,
        Self::MoveUp,
        Self::MoveDown,
        Self::Delete,
    ];

    /// The label in menus and in 帮助 (an ellipsis where a dialog follows).
    pub fn label(self, cx: &CommandContext<'_>) -> &'static str {
        match self {
            Self::New => "新建…",
            Self::NewPanel => "新建专家组（合并评分）",
            Self::PreparePanel => "准备专家评分文件…",
            Self::FillFromTable => "从表格填入评分…",
            Self::Submit => "提交评分…",
            Self::Withdraw => "撤回提交",
            Self::History => "修改记录",
            Self::Open => "打开…",
            Self::OpenFolder => "打开文件夹（汇总）…",
            Self::Save => "保存",
            Self::SaveAs => "另存为…",
            Self::ImportTable => "导入表格…",
            Self::ProjectInfo => "项目信息…",
            Self::Quit => "退出",
            Self::Undo => "撤销",
            Self::Redo => "重做",
            Self::CopyTable => "复制评分表",
            Self::AddSibling => "添加同级指标",
            Self::AddChild => "添加下级指标",
            Self::Rename => "重命名指标",
            Self::Delete => "删除指标",
            Self::MoveUp => "上移",
            Self::MoveDown => "下移",
            Self::ExpandAll => "全部展开",
            Self::CollapseAll => "全部折叠",
            Self::Library => "指标库",
            Self::ZoomIn => "放大",
            Self::ZoomOut => "缩小",
            Self::ZoomReset => "原始大小",
            Self::ToggleDark if cx.dark => "浅色",
            Self::ToggleDark => "深色",
            Self::Rules => "评分规则",
            Self::Shortcuts => "快捷键",
            Self::About => "关于",
        }
    }

    /// The keys that give this command; the first is the one menus show.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Self::New => const { &[key(CTRL, Key::N)] },
            Self::Open => const { &[key(CTRL, Key::O)] },
            Self::OpenFolder => const { &[key(CTRL_SHIFT, Key::O)] },
            Self::Save => const { &[key(CTRL, Key::S)] },
            Self::SaveAs => const { &[key(CTRL_SHIFT, Key::S)] },
            Self::Undo => const { &[key(CTRL, Key::Z)] },
            Self::Redo => const { &[key(CTRL, Key::Y), key(CTRL_SHIFT, Key::Z)] },
            Self::CopyTable => const { &[key(CTRL_SHIFT, Key::C)] },
            Self::Rename => const { &[key(Modifiers::NONE, Key::F2)] },
            Self::Delete => const { &[key(Modifiers::NONE, Key::Delete)] },
            Self::MoveUp => const { &[key(Modifiers::ALT, Key::ArrowUp)] },
            Self::MoveDown => const { &[key(Modifiers::ALT, Key::ArrowDown)] },
            Self::ZoomIn => const { &[key(CTRL, Key::Plus), key(CTRL, Key::Equals)] },
            Self::ZoomOut => const { &[key(CTRL, Key::Minus)] },
            Self::ZoomReset => const { &[key(CTRL, Key::Num0)] },
            Self::Rules => const { &[key(Modifiers::NONE, Key::F1)] },
            Self::Library => const { &[key(CTRL, Key::L)] },
            _ => &[],
        }
    }

    /// Whether the command's keys belong to a text field while one is being typed in
    /// (Delete deletes a character there, F2 and Alt+arrows are left to it).
    fn yields_to_text(self) -> bool {
        matches!(
            self,
            Self::Rename | Self::Delete | Self::MoveUp | Self::MoveDown
        )
    }

    pub fn enabled(self, cx: &CommandContext<'_>) -> bool {
        match self {
            Self::Undo => cx.uncommitted || cx.editor.can_undo(),
            Self::PreparePanel => {
                let doc = cx.editor.doc();
                doc.panel.is_none() && doc.assignment.is_none() && !doc.indicators.is_empty()
            }
            Self::FillFromTable | Self::Submit => {
                let doc = cx.editor.doc();
                doc.panel.is_none() && doc.seal.is_none() && !doc.indicators.is_empty()
            }
            Self::Withdraw => cx.editor.doc().seal.is_some(),
            Self::Redo => cx.editor.can_redo(),
            Self::AddChild | Self::Rename | Self::Delete | Self::MoveUp | Self::MoveDown => {
                cx.has_selection
            }
            _ => true,
        }
    }

    /// What the app is asked to do.
    pub fn action(self, cx: &CommandContext<'_>) -> Action {
        match self {
            Self::New => Action::ChooseTemplate,
            Self::NewPanel => Action::NewPanel,
            Self::PreparePanel => Action::ChoosePrepare,
            Self::FillFromTable => Action::ChooseFillTable,
            Self::Submit => Action::Submit,
            Self::Withdraw => Action::Withdraw,
            Self::History => Action::ShowHistory,
            Self::Open | Self::ImportTable => Action::ChooseFileToOpen,
            Self::OpenFolder => Action::ChooseFolder,
            Self::Save => Action::Save,
            Self::SaveAs => Action::ChooseFileToSave,
            Self::ProjectInfo => Action::ShowInfo,
            Self::Quit => Action::Quit,
            Self::Undo => Action::Undo,
            Self::Redo => Action::Redo,
            Self::CopyTable => Action::CopyTable,
            Self::AddSibling => Action::AddSibling,
            Self::AddChild => Action::AddChild,
            Self::Rename => Action::RenameSelected,
            Self::Delete => Action::DeleteSelected,
            Self::MoveUp => Action::MoveSelected(-1),
            Self::MoveDown => Action::MoveSelected(1),
            Self::ExpandAll => Action::ExpandAll,
            Self::CollapseAll => Action::CollapseAll,
            Self::Library => Action::ToggleLibrary,
            Self::ZoomIn => Action::Zoom(cx.zoom + 0.1),
            Self::ZoomOut => Action::Zoom(cx.zoom - 0.1),
            Self::ZoomReset => Action::Zoom(1.0),
            Self::ToggleDark => Action::SetDark(!cx.dark),
            Self::Rules => Action::ShowRules,
            Self::Shortcuts => Action::ShowShortcuts,
            Self::About => Action::ShowAbout,
        }
    }

    /// The shortcut as menus and 帮助 write it ("Ctrl+Shift+S").
    pub fn shortcut_text(self) -> Option<String> {
        self.shortcuts().first().map(|s| {
            let mut text = String::new();
            if s.modifiers.command || s.modifiers.ctrl {
                text.push_str("Ctrl+");
            }
            if s.modifiers.alt {
                text.push_str("Alt+");
            }
            if s.modifiers.shift {
                text.push_str("Shift+");
            }
            text.push_str(match s.logical_key {
                Key::ArrowUp => "↑",
                Key::ArrowDown => "↓",
                Key::Plus => "+",
                Key::Minus => "-",
                Key::Num0 => "0",
                other => other.name(),
            });
            text
        })
    }

    /// A menu entry for the command; a click pushes its action.
    pub fn button_ui(self, ui: &mut egui::Ui, cx: &CommandContext<'_>, actions: &mut Vec<Action>) {
        let mut button = egui::Button::new(self.label(cx));
        if let Some(text) = self.shortcut_text() {
            button = button.shortcut_text(text);
        }
        if ui.add_enabled(self.enabled(cx), button).clicked() {
            actions.push(self.action(cx));
            ui.close();
        }
    }
}

/// Turns this frame's shortcut keys into actions. Keys of commands that yield to text
/// are left alone while a text field is being typed in.
pub fn shortcuts(ctx: &egui::Context, cx: &CommandContext<'_>, actions: &mut Vec<Action>) {
    let typing = ctx.text_edit_focused();
    // Longer chords first, so Ctrl+Shift+S is not taken as Ctrl+S.
    let mut chords: Vec<(KeyboardShortcut, Command)> = Command::iter()
        .filter(|c| !(typing && c.yields_to_text()))
        .flat_map(|c| c.shortcuts().iter().map(move |s| (*s, c)))
        .collect();
    chords.sort_by_key(|(s, _)| {
        std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt))
    });
    for (chord, command) in chords {
        if ctx.input_mut(|i| i.consume_shortcut(&chord)) && command.enabled(cx) {
            actions.push(command.action(cx));
        }
    }
}

/// 帮助 → 快捷键: every command that has keys, as the command table has them.
pub fn shortcuts_window_ui(ctx: &egui::Context, cx: &CommandContext<'_>, open: &mut bool) {
    egui::Window::new("快捷键")
        .open(open)
        .collapsible(false)
        .default_pos(egui::pos2(60.0, 60.0))
        .show(ctx, |ui| {
            egui::Grid::new("快捷键表").striped(true).show(ui, |ui| {
                for command in Command::iter() {
                    if let Some(text) = command.shortcut_text() {
                        ui.label(command.label(cx));
                        ui.monospace(text);
                        ui.end_row();
                    }
                }
                ui.label("在选中的行上输入数字");
                ui.monospace("开始填写得分");
                ui.end_row();
                ui.label("得分 → 扣分理由 → 下一项得分");
                ui.monospace("Tab");
                ui.end_row();
                ui.label("确认得分并到下一项");
                ui.monospace("Enter");
                ui.end_row();
                ui.label("放弃正在输入的内容");
                ui.monospace("Esc");
                ui.end_row();
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_key() {
        let mut seen = Vec::new();
        for command in Command::iter() {
            for shortcut in command.shortcuts() {
                assert!(!seen.contains(shortcut), "{command:?}");
                seen.push(*shortcut);
            }
        }
    }
}
