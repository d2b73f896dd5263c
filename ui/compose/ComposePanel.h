// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/Session.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QPlainTextEdit;
class QPushButton;

namespace framecast::ui {

/// Prompt, duration, size and reference image; emits generateRequested. The
/// prompt's live count and the image checks refuse bad input before any
/// request (PROTOCOL.md §5). Several jobs at once: "One prompt per line"
/// makes each line a job, "Variations" N jobs of each prompt.
class ComposePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposePanel)

public:
    explicit ComposePanel(QWidget *parent = nullptr);

    void setPrompt(const QString &prompt);
    QString prompt() const;
    /// Selects a reference image; returns false (and shows why) if refused.
    bool setImage(const QString &path);
    QString imagePath() const { return m_imagePath; }
    QString errorText() const;
    /// Takes an image from the clipboard as the reference; false if there is none.
    bool pasteImage();
    QList<QPushButton *> sampleButtons() const { return m_samples; }
    QPushButton *generateButton() const { return m_generate; }
    QSpinBox *variationsBox() const { return m_variations; }
    QCheckBox *perLineBox() const { return m_perLine; }
    void setOnePromptPerLine(bool on);
    void setVariations(int count);
    /// The prompts a Generate would send now (one per line, or the whole text).
    QStringList prompts() const;
    static QStringList sampleImages();

Q_SIGNALS:
    /// The jobs asked for, in order: each prompt `variations` times.
    void generateRequested(const QList<framecast::JobParams> &jobs);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    static constexpr int kMaxVariations = 10;

    void updateState();
    /// What is wrong with the prompt(s), in words (empty: nothing).
    QString promptProblem() const;
    void requestGenerate();
    void chooseFile();

    QPlainTextEdit *m_prompt;
    QLabel *m_count;
    QComboBox *m_duration;
    QComboBox *m_size;
    QSpinBox *m_variations;
    QCheckBox *m_perLine;
    QLabel *m_thumbnail;
    QLabel *m_error;
    QPushButton *m_choose;
    QPushButton *m_generate;
    QList<QPushButton *> m_samples;
    QString m_imagePath;
};

} // namespace framecast::ui
