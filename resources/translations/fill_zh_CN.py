#!/usr/bin/env python3
"""Fills framecast_zh_CN.ts with the Simplified Chinese for what a desktop user
sees. Run after lupdate (cmake --build --target framecast_ui_lupdate); strings
it does not know stay untranslated (Qt shows the English)."""
import sys
import xml.etree.ElementTree as ET

ZH = {
    # compose
    "Choose image…": "选择图片…", "Generate": "生成", "<b>Describe your video</b>": "<b>描述你的视频</b>",
    "A paper boat drifting down a rainy street at dusk…": "黄昏时分，一只纸船顺着下雨的街道漂流…",
    "Prompt": "提示词", "Prompt length": "提示词长度", "&Duration": "时长(&D)", "4 seconds": "4 秒",
    "8 seconds": "8 秒", "12 seconds": "12 秒", "Duration": "时长", "&Format": "画幅(&F)",
    "Landscape 1280×720": "横屏 1280×720", "Portrait 720×1280": "竖屏 720×1280", "Format": "画幅",
    "<b>Reference image</b> — choose, drop, or try a sample:": "<b>参考图片</b> — 选择、拖入，或试试示例：",
    "Sample image %1": "示例图片 %1", "Choose a reference image": "选择参考图片", "Reference image preview": "参考图片预览",
    "No image yet": "尚未选择图片", "Input problem": "输入问题", "Generate video": "生成视频",
    "Generate (Ctrl+Enter)": "生成（Ctrl+Enter）", "Could not keep the pasted image in %1": "无法将粘贴的图片保存到 %1",
    "Images (*.png *.jpg *.jpeg *.webp)": "图片 (*.png *.jpg *.jpeg *.webp)", "%1 / 2000": "%1 / 2000",
    "%1 / 2000 — at least 10 characters": "%1 / 2000 — 至少 10 个字符", "Choose a reference image first": "请先选择参考图片",
    # desktop notifications (freedesktop actions, the tray)
    "The video failed": "视频生成失败", "Show": "显示", "Play": "播放",
    # connection dot
    "Connection status": "连接状态", "Not connected": "未连接", "Connecting%1…": "正在连接%1…",
    "Connected%1 for %2 s": "已连接%1，%2 秒", "Reconnecting%1, attempt %2": "正在重连%1，第 %2 次",
    "Connection failed%1": "连接失败%1", "Finished%1": "已结束%1",
    # job list / progress view
    "Jobs": "任务", "Cancel": "取消", "Retry": "重试", "Timings": "耗时", "Show step timings": "显示各步骤耗时",
    "Show how long each step took": "显示每个步骤用了多长时间", "Retry the job": "重试任务", "Current step": "当前步骤",
    "Stage %1": "阶段 %1", "Progress": "进度", "Time left": "剩余时间", "ETA 59 min 59 s": "预计 59 分 59 秒",
    "Job log": "任务日志", "Rewritten prompt": "改写后的提示词", "Download": "下载", "Cancel job": "取消任务",
    "✍️ %1": "✍️ %1", "⬇ Downloading the video… %1 of %2 MB": "⬇ 正在下载视频… %1 / %2 MB",
    "⬇ Downloading the video… %1 MB": "⬇ 正在下载视频… %1 MB", "No job selected": "未选择任务",
    "Waiting for the server…": "正在等待服务器…", "ETA %1 min %2 s": "预计 %1 分 %2 秒", "ETA %1 s": "预计 %1 秒",
    # login
    "Username and password": "用户名和密码", "API token": "API 令牌", "Log in": "登录", "Try the demo": "试用演示",
    "Add server…": "添加服务器…", "Edit…": "编辑…", "Log in — Framecast": "登录 — Framecast", "Server": "服务器",
    "Add a server": "添加服务器", "Edit the server": "编辑服务器", "&Server": "服务器(&S)",
    "Log in with username and password": "使用用户名和密码登录", "Log in with an API token": "使用 API 令牌登录",
    "Log in with": "登录方式", "Username": "用户名", "Password": "密码", "&Username": "用户名(&U)", "&Password": "密码(&P)",
    "&Token": "令牌(&T)", "Login problem": "登录问题", "Try the built-in demo server": "试用内置演示服务器",
    "Logging in…": "正在登录…", "Paste your API token": "请粘贴你的 API 令牌", "Enter your username": "请输入用户名",
    # main window
    "Framecast": "Framecast", "<b>Framecast</b>": "<b>Framecast</b>", "Account and credits": "账户与积分", "Notice": "通知",
    "&Account": "账户(&A)", "&Log in…": "登录(&L)…", "&Help": "帮助(&H)", "&About Framecast": "关于 Framecast(&A)",
    "About Framecast": "关于 Framecast", "Login failed: %1": "登录失败：%1",
    "Your session ended (%1). Log in again; your jobs are kept.": "会话已结束（%1）。请重新登录，你的任务会被保留。",
    "Your session ended: %1": "会话已结束：%1", "🎉 Your video is ready.": "🎉 你的视频已生成。", "Your video is ready": "你的视频已生成",
    "The built-in demo server could not start: %1": "内置演示服务器无法启动：%1",
    "<h3>Framecast %1</h3><p>Generate AI videos and watch them being made.</p><p>Built with Qt %2 and FFmpeg. Licensed under the GNU GPL, version 3 or later.</p>":
        "<h3>Framecast %1</h3><p>生成 AI 视频，并实时查看生成过程。</p><p>基于 Qt %2 和 FFmpeg 构建。以 GNU GPL 第 3 版或更高版本授权。</p>",
    "Not logged in": "未登录", "%1 · %2 · %3 credits": "%1 · %2 · %3 积分",
    # profile editor
    "Also send the token as ?token= on progress streams": "在进度流中同时以 ?token= 发送令牌",
    "Server — Framecast": "服务器 — Framecast", "Server name": "服务器名称", "Server address": "服务器地址",
    "Progress dialect": "进度协议", "WebSocket address": "WebSocket 地址",
    "ws(s)://host:port/ws (default: from the server address)": "ws(s)://主机:端口/ws（默认由服务器地址推出）",
    "Token in query": "令牌放入查询参数", "&Name": "名称(&N)", "&Address": "地址(&A)", "&Progress": "进度(&P)",
    "&WebSocket": "&WebSocket", "Test connection": "测试连接", "Test the connection": "测试连接", "Connection test result": "连接测试结果",
    "Testing…": "正在测试…",
    # player
    "Play": "播放", "Loop": "循环", "Save As…": "另存为…", "Show in folder": "在文件夹中显示", "Video": "视频",
    "Play or pause": "播放或暂停", "Position": "位置", "Volume": "音量", "Save the video as": "将视频另存为",
    "Show the video in its folder": "在文件夹中显示视频", "Pause": "暂停", "Save video": "保存视频",
    "MP4 video (*.mp4)": "MP4 视频 (*.mp4)", "Could not save %1": "无法保存 %1",
    # what the core tells a desktop user
    "Built-in demo server": "内置演示服务器", "The job failed": "任务失败", "🛑 Cancelled": "🛑 已取消",
    "🎉 Video ready!": "🎉 视频已就绪！", "⏳ Queued": "⏳ 排队中", "⚙️ Processing": "⚙️ 处理中",
    "✍️ Rewriting the prompt": "✍️ 改写提示词", "🗂️ Storyboard": "🗂️ 分镜", "🖼️ Image generation": "🖼️ 文生图",
    "🎥 Camera movement": "🎥 运镜", "🎬 Video generation": "🎬 图生视频", "%1 — done": "%1 — 完成",
    "The server answered HTTP %1": "服务器返回 HTTP %1", "The server did not answer in time": "服务器未及时响应",
    "Secure connection failed: %1": "安全连接失败：%1", "Cannot reach the server: %1": "无法连接服务器：%1",
    "Give the server a name": "请为服务器命名", "A server name cannot contain / or \\": "服务器名称不能包含 / 或 \\",
    "The address must be an http:// or https:// URL": "地址必须是 http:// 或 https:// 开头的 URL",
    "Use https:// for %1: only this computer may be reached over plain http": "请为 %1 使用 https://：只有本机可以使用明文 http",
    "The WebSocket address must be a ws:// or wss:// URL": "WebSocket 地址必须是 ws:// 或 wss:// 开头的 URL",
    "Could not save the settings": "无法保存设置",
    "The server answered and asks for a login: it works.": "服务器已响应并要求登录：连接正常。",
    "The server answered without asking for a login; is this the API address?": "服务器响应了但未要求登录；这是 API 地址吗？",
    "Choose a server first": "请先选择服务器", "Log in first": "请先登录", "The image was not accepted: %1": "图片未被接受：%1",
    "%1 does not exist": "%1 不存在", "%1 is %2 MB; images of at most 20 MB are accepted": "%1 大小为 %2 MB；图片最大 20 MB",
    "Cannot read %1: %2": "无法读取 %1：%2", "%1 is larger than 20 MB": "%1 超过 20 MB",
    "%1 is not a PNG, JPEG or WebP image": "%1 不是 PNG、JPEG 或 WebP 图片",
    "%1 cannot be read as an image: %2": "%1 无法作为图片读取：%2",
    "%1 is %2x%3 pixels; at most %4 pixels a side are accepted": "%1 为 %2x%3 像素；每边最多 %4 像素",
    "%1 is damaged: %2": "%1 已损坏：%2",
    "The prompt needs at least 10 characters (it has %1)": "提示词至少需要 10 个字符（当前 %1 个）",
    "The prompt may have at most 2000 characters (it has %1)": "提示词最多 2000 个字符（当前 %1 个）",
    "Download failed: %1": "下载失败：%1", "The video is larger than 2 GiB": "视频超过 2 GiB",
    "Cannot write %1 (disk full?): %2": "无法写入 %1（磁盘已满？）：%2", "Cannot save %1: %2": "无法保存 %1：%2",
    "The server sent %1 instead of a video": "服务器发送的是 %1 而不是视频",
    # history, accounts and security
    "&Jobs": "任务(&J)", "&History": "历史(&H)", "Jobs and history": "任务与历史", "Jobs or history": "任务或历史",
    "Search prompts": "搜索提示词", "Search the history by prompt": "按提示词搜索历史", "Past jobs": "历史任务",
    "History status": "历史状态", "&Open video": "打开视频(&O)", "Generate &again": "再次生成(&A)", "&Delete…": "删除(&D)…",
    "Open the selected job's video": "打开所选任务的视频", "Generate the selected job again": "用相同参数再次生成",
    "Delete the selected job and its video": "删除所选任务及其视频", "Queued": "排队中", "Running": "进行中",
    "Completed": "已完成", "Failed": "失败", "Cancelled": "已取消", "Lost": "已丢失",
    "(no prompt recorded)": "（未记录提示词）", "Completed, video not saved yet": "已完成，视频尚未保存",
    "The job history is off.": "任务历史已关闭。", "No jobs yet. Generated videos appear here.": "还没有任务。生成的视频会显示在这里。",
    "No job's prompt contains \"%1\".": "没有任务的提示词包含“%1”。", "Cancel the job before deleting it": "请先取消任务再删除",
    "Delete job — Framecast": "删除任务 — Framecast", "Delete \"%1\" from the history?": "从历史中删除“%1”？",
    "Delete \"%1\" from the history, and its video %2?": "从历史中删除“%1”及其视频 %2？",
    "&Remember my password": "记住密码(&R)", "Remember the password in the keychain": "在钥匙串中记住密码",
    "The token is always kept in the system keychain; the password only if you tick this": "令牌始终保存在系统钥匙串中；只有勾选此项才会保存密码",
    "Where the login is kept": "登录信息的保存位置", "Connection security warning": "连接安全警告", "Keychain status": "钥匙串状态",
    "Allow plain http:// to this server (insecure: the token can be read on the network)": "允许以明文 http:// 连接此服务器（不安全：令牌可能在网络上被读取）",
    "Allow insecure http": "允许不安全的 http",
    "⚠ Insecure connection: %1 is reached over plain http": "⚠ 不安全的连接：正以明文 http 访问 %1",
    "Your token and your videos travel unencrypted; anyone on the network can read them.": "你的令牌和视频未加密传输，网络上的任何人都能读取。",
    "Logins are not kept: you will log in again next time.": "不会保存登录信息：下次需要重新登录。",
    "No keychain available: your login is kept in memory until Framecast closes.": "没有可用的钥匙串：登录信息只保存在内存中，直到 Framecast 关闭。",
    "No keychain available (%1): your login is kept in memory until Framecast closes.": "没有可用的钥匙串（%1）：登录信息只保存在内存中，直到 Framecast 关闭。",
    "Connecting to %1…": "正在连接 %1…", "The server no longer knows this job": "服务器已不再记录此任务",
    "The job is still running; cancel it first": "任务仍在进行；请先取消", "Cannot delete %1": "无法删除 %1",
    "Log in to %1": "登录到 %1", "Log in to %1 as %2": "以 %2 身份登录到 %1", "The keychain could not be read: %1": "无法读取钥匙串：%1",
    "Your saved login for %1 has expired; log in again": "%1 保存的登录已过期；请重新登录",
    "The job history could not be read (%1). It was moved to %2 and a new one was started.": "无法读取任务历史（%1）。它已被移到 %2，并已新建历史。",
    "The job history could not be saved (%1). Jobs go on; free some disk space to keep their history.": "无法保存任务历史（%1）。任务会继续；请释放磁盘空间以保留历史。",
    "Too many redirects (more than %1) for the video": "视频的重定向次数过多（超过 %1 次）",
    "The server redirected the video from https to an insecure address; refused": "服务器把视频从 https 重定向到不安全的地址；已拒绝",
    "The server resumed the video at the wrong place": "服务器从错误的位置续传视频",
    "Download failed: %1 (%2 bytes kept; it resumes next time)": "下载失败：%1（已保留 %2 字节；下次会继续下载）",
    "Download cancelled": "下载已取消", "Log &out": "退出登录(&O)",
    "Logged out of %1. The login kept for it was forgotten.": "已退出 %1 的登录，保存的登录信息已清除。",
}
ZH_NUMERUS = {"%n reconnect(s)": "%n 次重连"}


def main(path):
    tree = ET.parse(path)
    done = 0
    for message in tree.getroot().iter("message"):
        source = message.find("source").text or ""
        translation = message.find("translation")
        if message.get("numerus") == "yes" and source in ZH_NUMERUS:
            for child in list(translation):
                translation.remove(child)
            ET.SubElement(translation, "numerusform").text = ZH_NUMERUS[source]
            translation.attrib.pop("type", None)
            done += 1
        elif source in ZH:
            translation.text = ZH[source]
            translation.attrib.pop("type", None)
            done += 1
    body = ET.tostring(tree.getroot(), encoding="unicode")
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    print(f"{done} messages translated")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "framecast_zh_CN.ts")
