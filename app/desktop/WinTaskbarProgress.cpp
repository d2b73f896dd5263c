// SPDX-License-Identifier: GPL-3.0-or-later
//
// Windows: the progress bar on the window's taskbar button (ITaskbarList3).
// Built by the hosted Windows job only.
#include "desktop/PlatformSinks.h"

#include <QWindow>

#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <shobjidl.h>

namespace framecast::desktop {

namespace {

class WinTaskbarProgress final : public LauncherSink
{
public:
    explicit WinTaskbarProgress(std::function<QWindow *()> window)
        : m_window(std::move(window))
    {
    }
    ~WinTaskbarProgress() override
    {
        if (m_taskbar)
            m_taskbar->Release();
    }
    Q_DISABLE_COPY_MOVE(WinTaskbarProgress)

    void publish(const LauncherState &state) override
    {
        QWindow *window = m_window ? m_window() : nullptr;
        if (!window || !taskbar())
            return;
        const HWND hwnd = reinterpret_cast<HWND>(window->winId());
        if (state.count == 0) {
            m_taskbar->SetProgressState(hwnd, TBPF_NOPROGRESS);
            return;
        }
        m_taskbar->SetProgressState(hwnd, TBPF_NORMAL);
        m_taskbar->SetProgressValue(hwnd, ULONGLONG(qRound(state.progress * 1000)), 1000);
    }

private:
    ITaskbarList3 *taskbar()
    {
        if (m_taskbar || m_failed)
            return m_taskbar;
        // Qt has initialised COM on the GUI thread (OleInitialize).
        if (FAILED(CoCreateInstance(CLSID_TaskbarList, nullptr, CLSCTX_INPROC_SERVER, IID_PPV_ARGS(&m_taskbar)))
            || FAILED(m_taskbar->HrInit())) {
            if (m_taskbar)
                m_taskbar->Release();
            m_taskbar = nullptr;
            m_failed = true; // no taskbar (Server Core, an old shell): stop asking
        }
        return m_taskbar;
    }

    std::function<QWindow *()> m_window;
    ITaskbarList3 *m_taskbar = nullptr;
    bool m_failed = false;
};

} // namespace

std::unique_ptr<LauncherSink> makeWindowsTaskbarSink(std::function<QWindow *()> window)
{
    return std::make_unique<WinTaskbarProgress>(std::move(window));
}

} // namespace framecast::desktop
