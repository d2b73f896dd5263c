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
    # login: sign in through the browser (Google's own wording: 使用 Google 账号登录)
    "Sign in with Google": "使用 Google 账号登录", "Sign in with %1": "使用 %1 账号登录",
    "Opens your web browser to sign in at %1": "打开网页浏览器，在 %1 登录", "Waiting for the browser": "正在等待浏览器",
    "Cancel the sign-in in the browser": "取消浏览器中的登录",
    "⏳ Waiting for the browser… Finish signing in with %1 there; Framecast comes back by itself.":
        "⏳ 正在等待浏览器… 请在浏览器中完成 %1 账号登录，Framecast 会自动回来。",
    "Remove": "移除", "Remove the server": "移除服务器",
    "%1 offers no sign-in through the browser (any more); log in with a password": "%1 不（再）支持通过浏览器登录；请使用密码登录",
    "Cannot ask %1 how to sign in: %2": "无法向 %1 查询登录方式：%2",
    "%1 offers no sign-in through the browser": "%1 不支持通过浏览器登录",
    "%1 offers no sign-in with \"%2\" (it offers: %3)": "%1 不支持使用“%2”登录（它支持：%3）",
    "The server's sign-in methods are malformed: \"oidc\" is not a list": "服务器的登录方式格式有误：“oidc”不是列表",
    "The server lists a sign-in provider without id, client_id or a valid issuer URL": "服务器列出的某个登录提供方缺少 id、client_id 或有效的 issuer URL",
    "The server asks to listen on %1 for the browser's answer; only a loopback address (127.0.0.1) is used":
        "服务器要求在 %1 上监听浏览器的回应；只会使用回环地址（127.0.0.1）",
    # sign-in errors: what the provider answered (OAuthErrorText)
    "The sign-in was declined in the browser": "已在浏览器中拒绝登录",
    "The provider no longer accepts this sign-in (the code expired, was used already, or PKCE did not match)":
        "提供方不再接受此次登录（授权码已过期、已被使用，或 PKCE 不匹配）",
    "The provider does not know this app's client id, or does not let it sign in this way": "提供方不认识此应用的 client id，或不允许它以这种方式登录",
    "The provider refused the sign-in request": "提供方拒绝了登录请求", "The provider refused the requested scopes": "提供方拒绝了所请求的权限范围",
    "The provider does not support this kind of sign-in": "提供方不支持这种登录方式",
    "The provider needs you to sign in or consent in the browser": "提供方需要你在浏览器中登录或同意授权",
    "The provider had an internal error": "提供方发生内部错误", "The provider is temporarily unavailable; try again later": "提供方暂时不可用，请稍后重试",
    "The provider refused the sign-in": "提供方拒绝了登录",
    # sign-in errors: the flow itself (BrowserSignIn, LoopbackReceiver)
    "No answer from the browser within %1 min; the sign-in was stopped": "浏览器在 %1 分钟内没有回应，登录已停止",
    "No answer from the browser within %1 s; the sign-in was stopped": "浏览器在 %1 秒内没有回应，登录已停止",
    "The sign-in was cancelled": "登录已取消", "Cannot reach the sign-in provider %1: %2": "无法连接登录提供方 %1：%2",
    "The sign-in provider's configuration could not be read: %1": "无法读取登录提供方的配置：%1",
    "The sign-in provider's configuration names another issuer (%1, not %2)": "登录提供方的配置指向另一个 issuer（%1，而不是 %2）",
    "The sign-in provider's configuration has no usable authorization or token endpoint (https is required)":
        "登录提供方的配置中没有可用的授权端点或令牌端点（必须使用 https）",
    "The sign-in provider does not support PKCE with S256, which Framecast requires": "登录提供方不支持 Framecast 所需的 PKCE（S256）",
    "The sign-in provider's token endpoint answered: %1": "登录提供方的令牌端点返回：%1",
    "The sign-in provider's answer has no id_token (is \"openid\" among the scopes?)": "登录提供方的回应中没有 id_token（权限范围中是否包含“openid”？）",
    "The provider's id_token does not belong to this sign-in (its nonce does not match)": "提供方的 id_token 不属于此次登录（nonce 不匹配）",
    "Only a loopback address can receive the browser's answer, not %1": "只有回环地址才能接收浏览器的回应，%1 不是回环地址",
    "Cannot listen on %1 for the browser's answer: %2": "无法在 %1 上监听浏览器的回应：%2",
    "The browser's answer does not belong to this sign-in (its state does not match), so it was refused": "浏览器的回应不属于此次登录（state 不匹配），已拒绝",
    "The browser's answer does not say which provider sent it (no iss), so it was refused": "浏览器的回应未注明来自哪个提供方（缺少 iss），已拒绝",
    "The browser's answer comes from another provider (%1, not %2), so it was refused": "浏览器的回应来自另一个提供方（%1，而不是 %2），已拒绝",
    "The browser's answer has no authorization code": "浏览器的回应中没有授权码",
    # the page the browser shows after signing in (LoopbackReceiver; the HTTP reason phrase stays ASCII in code)
    "Signed in": "已登录", "You can close this tab and go back to Framecast.": "你可以关闭此标签页，返回 Framecast。",
    "Sign-in failed": "登录失败", "%1. Go back to Framecast to try again.": "%1。请返回 Framecast 重试。",
    "Request too large": "请求过大", "Bad request": "请求无效", "Method not allowed": "不允许的请求方法", "Not found": "未找到",
    "This address only takes the sign-in answer.": "此地址只接收登录回应。",
    # main window
    "User": "用户", "Lost the connection to the job's progress: %1": "与任务进度的连接已中断：%1",
    "A paper boat drifting down a rainy street at dusk, neon reflections": "黄昏时分，一只纸船顺着下雨的街道漂流，霓虹灯的倒影闪烁",
    # profile editor: how to log in, CA certificate, proxy
    "How users log in": "用户的登录方式", "Log &in with": "登录方式(&I)", "Browser (Google, OpenID Connect)": "浏览器（Google、OpenID Connect）",
    "CA certificate file": "CA 证书文件", "none: only the system's certificate authorities": "无：只信任系统的证书颁发机构",
    "Choose…": "选择…", "Choose a CA certificate file": "选择 CA 证书文件", "&CA certificate": "CA 证书(&C)",
    "CA certificate details": "CA 证书详情", "CA certificate — Framecast": "CA 证书 — Framecast",
    "PEM certificates (*.pem *.crt *.cer);;All files (*)": "PEM 证书 (*.pem *.crt *.cer);;所有文件 (*)",
    "Proxy": "代理", "Pro&xy": "代理(&X)", "system, none, or http://host:port": "system、none 或 http://主机:端口",
    "system: the desktop's proxy settings and http_proxy/https_proxy/no_proxy": "system：桌面的代理设置及 http_proxy/https_proxy/no_proxy",
    # proxy login dialog
    "Proxy login — Framecast": "代理登录 — Framecast", "The proxy %1 asks for a user name and password.": "代理服务器 %1 要求提供用户名和密码。",
    "Proxy login message": "代理登录提示", "Proxy user name": "代理用户名", "Proxy password": "代理密码", "&User name": "用户名(&U)",
    "Remember in the keychain": "在钥匙串中记住", "Remember the proxy login": "记住代理登录信息",
    "No keychain here: the proxy login lasts until Framecast closes": "没有可用的钥匙串：代理登录信息只保留到 Framecast 关闭",
    "Use": "使用", "Use this proxy login": "使用此代理登录信息",
    # network: proxy and certificates
    "(system)": "（系统）", "The proxy asks for a user name and password": "代理服务器要求提供用户名和密码",
    "Cannot reach the proxy %1: %2": "无法连接代理服务器 %1：%2", "The proxy refused the user name and password": "代理服务器拒绝了用户名和密码",
    "The proxy %1 refused the user name and password": "代理服务器 %1 拒绝了用户名和密码",
    "The proxy %1 asks for a user name and password": "代理服务器 %1 要求提供用户名和密码",
    "The proxy %1 asks for a user name and password: give them in the proxy URL (http://user:password@host:port)":
        "代理服务器 %1 要求提供用户名和密码：请写在代理 URL 中（http://用户名:密码@主机:端口）",
    "The proxy must be \"system\", \"none\" or a URL such as http://proxy.example.com:3128, not \"%1\"":
        "代理必须是“system”、“none”或 URL（如 http://proxy.example.com:3128），而不是“%1”",
    "Leave the user name and password out of the proxy address: Framecast asks for them when the proxy wants them, and can keep them in the keychain":
        "代理地址中不要写用户名和密码：代理需要时 Framecast 会询问，并可将其保存在钥匙串中",
    "Cannot read the certificate file %1: %2": "无法读取证书文件 %1：%2", "%1 is too large for a certificate file": "%1 太大，不是证书文件",
    "%1 is not a PEM certificate file (it should hold one or more \"-----BEGIN CERTIFICATE-----\" blocks)":
        "%1 不是 PEM 证书文件（应包含一个或多个“-----BEGIN CERTIFICATE-----”块）",
    "%1 holds a certificate that cannot be read": "%1 中有无法读取的证书", "%1 — SHA-256 %2": "%1 — SHA-256 %2",
    "Use https:// (and wss://) for %1: only this computer may be reached over plain http, unless the profile explicitly allows insecure connections":
        "请为 %1 使用 https://（及 wss://）：除非服务器配置明确允许不安全的连接，否则只有本机可以使用明文 http",
    # servers, session, keychain
    "The built-in demo server cannot be changed": "内置演示服务器不能修改", "This build has no built-in demo server": "此版本没有内置演示服务器",
    "this build of Framecast has no keychain support": "此版本的 Framecast 不支持钥匙串",
    "The keychain did not answer within %1 s": "钥匙串在 %1 秒内没有响应",
    "Cannot listen on %1:%2: %3": "无法在 %1:%2 上监听：%3", "Cannot listen for WebSockets on port %1: %2": "无法在端口 %1 上监听 WebSocket：%2",
    # API answers and the job's life
    "The server's answer is not a JSON object: %1": "服务器的回应不是 JSON 对象：%1", "The login answer has no access_token": "登录回应中没有 access_token",
    "The server's answer is larger than %1 MiB": "服务器的回应超过 %1 MiB",
    "The server refused the image: %1": "服务器拒绝了图片：%1", "The image could not be uploaded: %1": "图片无法上传：%1",
    "The server refused the job: %1": "服务器拒绝了任务：%1", "Could not start the job: %1": "无法启动任务：%1",
    "The server did not return a job id": "服务器没有返回任务 ID", "Cancelling failed: %1": "取消失败：%1",
    "The job completed without a video URL": "任务已完成，但没有视频 URL",
    "The task failed": "任务失败", "The project failed": "项目失败", "Stage %1 failed": "阶段 %1 失败", "❌ %1": "❌ %1",
    # video download
    "Cannot write %1: %2": "无法写入 %1：%2", "Cannot save %1": "无法保存 %1", "no content type": "未标明类型的内容",
    "The server redirected the download without saying where": "服务器重定向了下载，但没有给出目标地址",
    "the transfer ended after %1 of %2 bytes": "传输在 %1 / %2 字节时中断",
    # progress streams (SSE, WebSocket): what ends or breaks the connection
    "The server refused the token (401): please log in again": "服务器拒绝了令牌（401）：请重新登录", "Access denied (403)": "拒绝访问（403）",
    "The server does not know this job (404)": "服务器上没有此任务（404）", "The server has no stream for this job (204)": "服务器没有此任务的进度流（204）",
    "No data for %1 s: the stream seems dead": "%1 秒内没有收到数据：进度流似乎已断开", "Connection lost: %1": "连接中断：%1",
    "The server ended the stream before the job finished": "任务尚未完成，服务器就结束了进度流",
    "The server ended the progress stream before the job finished": "任务尚未完成，服务器就结束了进度流",
    "Unexpected answer (HTTP %1)": "意外的回应（HTTP %1）",
    "A line of the event stream is longer than %1 bytes": "事件流中有一行超过 %1 字节",
    "An event of the event stream is larger than %1 bytes": "事件流中有一个事件超过 %1 字节",
    "No message for %1 s: the connection seems dead": "%1 秒内没有收到消息：连接似乎已断开",
    "The server did not answer the authentication within %1 s": "服务器在 %1 秒内没有回应身份验证",
    "Cannot connect: %1": "无法连接：%1", "The server refused the token": "服务器拒绝了令牌",
    "A message was larger than %1 MiB; the connection was closed": "有一条消息超过 %1 MiB，连接已关闭",
    "The server closed the connection: %1": "服务器关闭了连接：%1",
    # job history (Ledger)
    "The job history could not be opened; this session's jobs are kept in memory only.": "无法打开任务历史；本次的任务只保存在内存中。",
    "The job history %1 cannot be opened: %2": "无法打开任务历史 %1：%2",
    "The job history %1 could not be read (%2) nor moved aside; this session's jobs are kept in memory only.":
        "无法读取任务历史 %1（%2），也无法将其移走；本次的任务只保存在内存中。",
    "The job history %1 was written by a newer Framecast (schema %2); it is left untouched and this session's jobs are kept in memory only.":
        "任务历史 %1 由更新版本的 Framecast 写入（架构 %2）；它保持原样，本次的任务只保存在内存中。",
    "The job history %1 could not be updated: %2": "无法更新任务历史 %1：%2",
    # gallery
    "&Gallery": "画廊(&G)", "Search the history and the gallery by prompt": "按提示词搜索历史和画廊",
    "Finished videos": "已完成的视频", "Gallery status": "画廊状态", "What the gallery shows": "画廊显示的内容",
    "&Write a prompt": "撰写提示词(&W)", "Write a prompt to make the first video": "撰写提示词，制作第一个视频",
    "&Play": "播放(&P)", "Open in &system player": "用系统播放器打开(&S)", "Show in &folder": "在文件夹中显示(&F)",
    "&Copy prompt": "复制提示词(&C)", "Copy prompt": "复制提示词", "Open in system player": "用系统播放器打开",
    "Preview of the selected video": "所选视频的预览", "Prompt of the selected video": "所选视频的提示词",
    "Length, size and date of the selected video": "所选视频的时长、大小和日期", "Play the selected video": "播放所选视频",
    "Open the selected video in the system's player": "用系统播放器打开所选视频",
    "Show the selected video in its folder": "在文件夹中显示所选视频", "Copy the selected video's prompt": "复制所选视频的提示词",
    "What to do with the video": "对视频的操作", "No gallery": "没有画廊",
    "The job history is off, so finished videos are not listed here.": "任务历史已关闭，因此这里不会列出已完成的视频。",
    "Log in to see the videos you made on this server.": "登录后即可查看你在此服务器上制作的视频。",
    "Nothing found": "没有找到", "No video's prompt contains “%1”. Clear the search to see them all.":
        "没有视频的提示词包含“%1”。清除搜索即可查看全部视频。",
    "No videos yet": "还没有视频",
    "Every video you finish on this server appears here, as a frame of the video with its prompt, length and date. "
    "Write a prompt, pick a reference image and press Generate.":
        "你在此服务器上完成的每个视频都会显示在这里：视频中的一帧，以及它的提示词、时长和日期。撰写提示词，选择参考图片，然后点击“生成”。",
    "No preview: %1": "无法预览：%1", "Loading preview…": "正在加载预览…", "No preview: the video cannot be read": "无法预览：无法读取视频",
    "%1 s": "%1 秒", "%1×%2": "%1×%2", "The video file is missing": "视频文件不存在",
    "Out of memory": "内存不足", "Not a video file that can be read (%1)": "不是可读取的视频文件（%1）",
    "The video file is damaged (%1)": "视频文件已损坏（%1）", "The file has no video that can be decoded": "文件中没有可解码的视频",
    "The video's codec cannot be set up": "无法设置视频的编解码器", "The video's codec cannot be opened (%1)": "无法打开视频的编解码器（%1）",
    "The video has no usable picture size": "视频的画面尺寸不可用", "Decoding took too long": "解码耗时过长",
    "No frame could be decoded (%1)": "无法解码任何一帧（%1）", "No frame could be decoded": "无法解码任何一帧",
    # terminal (framecast --headless): errors, progress line, results
    "There is no saved server profile named \"%1\"": "没有名为“%1”的已保存服务器配置",
    "Insecure connection: %1 is reached over plain http; the token can be read on the network": "不安全的连接：正以明文 http 访问 %1；令牌可能在网络上被读取",
    "The environment variable %1 is empty or not set": "环境变量 %1 为空或未设置",
    "Cannot read the password from standard input": "无法从标准输入读取密码", "No password on standard input": "标准输入中没有密码",
    "framecast: sign in with %1 in the browser that opened, or open %2": "framecast: 请在已打开的浏览器中使用 %1 账号登录，或打开 %2",
    "framecast: to sign in with %1, open %2": "framecast: 要使用 %1 账号登录，请打开 %2",
    "Nothing to resume": "没有需要继续的任务", "● connected (%1)": "● 已连接（%1）", "↻ reconnecting (attempt %1)%2": "↻ 正在重连（第 %1 次）%2",
    "  (late)": "  （迟到）", "✔ Saved %1 (%2)": "✔ 已保存 %1（%2）", "Uploading…": "正在上传…",
    "Gave up after %1 s (--timeout)": "%1 秒后放弃（--timeout）", "The token was refused: %1": "令牌被拒绝：%1",
    "Job %1": "任务 %1", "Job %1 (picked up at step %2)": "任务 %1（从第 %2 步接续）", "The server refused the token: %1": "服务器拒绝了令牌：%1",
    "The job was cancelled": "任务已取消", "Interrupted": "已中断", "Interrupted: cancelling job %1 on the server…": "已中断：正在服务器上取消任务 %1…",
    "Interrupted (the cancel was not confirmed)": "已中断（取消未得到确认）", "Interrupted: the job was cancelled on the server": "已中断：任务已在服务器上取消",
    "Interrupted; cancelling failed: %1": "已中断；取消失败：%1", "The job history cannot be used: %1": "无法使用任务历史：%1",
    "Sign-in with %1 failed: %2": "使用 %1 账号登录失败：%2",
    # the queue (several jobs at once)
    "One prompt per &line": "每行一个提示词(&L)", "&Variations": "变体数(&V)", "Variations of each prompt": "每个提示词的变体数",
    "How many videos to make of each prompt": "每个提示词生成多少个视频", "One prompt per line": "每行一个提示词",
    "Each line of the prompt becomes a job of its own; they start one after another": "提示词的每一行各成一个任务；它们依次开始",
    "Line %1: %2": "第 %1 行：%2", "&Retry": "重试(&R)", "&Retry now": "立即重试(&R)", "Pa&use": "暂停(&U)", "Res&ume": "继续(&U)",
    "Clear": "清空", "Queue": "队列", "Why the queued jobs wait": "排队任务等待的原因", "Queue notice": "队列提示",
    "Queued jobs": "排队的任务", "Retry the first queued job now": "立即重试队列中的第一个任务",
    "Send the first waiting job now; the server decides": "立即发送第一个等待中的任务；由服务器决定",
    "Pause or resume the queue": "暂停或继续队列", "Remove the selected queued job": "移除选中的排队任务",
    "Remove (Delete); Alt+Up and Alt+Down move it": "移除（Delete）；Alt+上/下 移动它",
    "Remove every waiting job from the queue": "从队列中移除所有等待中的任务", "Starting…": "正在开始…", "#%1 · %2": "#%1 · %2",
    "%1\n\nThe server said: %2": "%1\n\n服务器回复：%2", "Next": "下一个", "Paused": "已暂停", "Paused: %1": "已暂停：%1",
    "Waiting for a login": "等待登录", "Waiting for a login: %1": "等待登录：%1", "Waiting for a free slot": "等待空闲名额",
    "Waiting for credits": "等待积分", "Checking the credits": "正在核对积分", "Server busy": "服务器繁忙",
    "Waiting for a running job to finish (%1 at a time)": "等待正在运行的任务结束（每次最多 %1 个）",
    "Waiting for credits: %1": "等待积分：%1", "Waiting for credits: %1 left, a video costs %2": "等待积分：剩余 %1，每个视频需要 %2",
    "Checking the credits…": "正在核对积分…", "%1; trying again in %2 s": "%1；%2 秒后重试",
    "another user signed in to this server": "另一位用户登录了此服务器", "The server is busy: %1": "服务器繁忙：%1",
    "Quit Framecast?": "退出 Framecast？", "--variations takes a number from 1 to 100": "--variations 取 1 到 100 之间的数字",
    "--output names one file; with several jobs each video goes to ./<job id>.mp4": "--output 只能指定一个文件；多个任务时每个视频保存为 ./<任务 ID>.mp4",
    # rough edges (issue 16 item 7): a refused job, the login notice
    "Change the prompt or the image, then press Generate again.": "请修改提示词或图片，然后再次点击“生成”。",
    "Log in again (Account ▸ Log in…), then press Generate again.": "请重新登录（账户 ▸ 登录…），然后再次点击“生成”。",
    "Your account has too few credits for a video. Top up your credits on the server, then press Generate again.":
        "账户积分不足以生成视频。请在服务器上充值积分，然后再次点击“生成”。",
    "Your account may not generate videos (is its subscription active?). Ask the server's administrator.":
        "此账户无权生成视频（订阅是否有效？）。请联系服务器管理员。",
    "Check the server and your connection, then press Generate again.": "请检查服务器和网络连接，然后再次点击“生成”。",
    "What to do": "处理建议", "⛔ %1": "⛔ %1", "Refused — the job was not started": "已被拒绝 — 任务未启动",
    "refused": "已拒绝", "Login notice": "登录提示",
    # the job list's states (Job::stateText)
    "submitting": "提交中", "queued": "排队中", "running": "生成中", "completed": "已完成", "failed": "失败",
    "cancelled": "已取消", "lost": "已丢失",
    "The server is busy; press Generate again in a moment.": "服务器繁忙，请稍后再次点击“生成”。",
}
# look and feel: empty states, headings, View ▸ Appearance
ZH.update({
    "Write a prompt and press Generate": "写下提示词，然后按“生成”",
    "The job's progress and its finished video appear here. %1 generates from the prompt.":
        "任务的进度和生成好的视频会显示在这里。在提示词中按 %1 即可生成。",
    "&View": "视图(&V)", "&Appearance": "外观(&A)", "Follow the &system": "跟随系统(&S)", "&Light": "浅色(&L)",
    "&Dark": "深色(&D)", "No jobs yet": "还没有任务",
    "Each video you generate shows here with its progress.": "你生成的每个视频都会连同进度显示在这里。",
    "Jobs of this session are in the Jobs tab; they are not kept after Framecast closes.":
        "本次的任务在“任务”标签页中；Framecast 关闭后不会保留。",
    "Every video you generate is kept here with its prompt, to play, generate again or delete. "
    "Write a prompt and press Generate (%1).":
        "你生成的每个视频都会连同提示词保存在这里，可以播放、再次生成或删除。写下提示词后按 %1 即可生成。",
    "Nothing found": "没有找到", "Reference image": "参考图片",
    "Choose one, drop one here, paste one, or try a sample:": "选择、拖入或粘贴一张图片，或试试示例：",
    "No D-Bus session bus": "没有 D-Bus 会话总线", "The portal's color-scheme is not a number": "门户的 color-scheme 不是数字",
})
# developer-facing texts: the demo server's options and faults, terminal (--headless) usage and errors,
# progress-stream warnings, the video renderer and the modules it loads
ZH.update({
    # demo server (DemoConfig): options, shown by framecast --demo-server --help
    "--%1 takes a whole number from %2 to %3": "--%1 取 %2 到 %3 之间的整数",
    "Port to listen on (default 8000; 0 picks a free one).": "监听的端口（默认 8000；0 表示自动选一个空闲端口）。",
    "Address to bind (default 127.0.0.1).": "绑定的地址（默认 127.0.0.1）。",
    "Also serve the WebSocket on this port, as the seed's 3001.": "同时在此端口上提供 WebSocket 服务（seed 参考服务器用的是 3001）。",
    "Folder for uploads and videos (default: a temporary folder).": "存放上传文件和视频的文件夹（默认：一个临时文件夹）。",
    "Add a user NAME:PASSWORD[:CREDITS[:inactive]] (repeatable).": "添加用户 NAME:PASSWORD[:CREDITS[:inactive]]（可重复）。",
    "Add users from a JSON array of {username, password, credits, active}.":
        "从 {username, password, credits, active} 组成的 JSON 数组添加用户。",
    "Fixed delay between steps (default 2000-3000 at random).": "步骤之间的固定延迟（默认在 2000-3000 之间随机）。",
    "Render small 160x90 videos quickly (for tests).": "快速渲染 160x90 的小视频（用于测试）。",
    "Token lifetime in seconds (default 3600); then 401.": "令牌有效期，单位为秒（默认 3600）；过期后返回 401。",
    "WebSocket heartbeat interval (default 30000; 0: none).": "WebSocket 心跳间隔（默认 30000；0：不发心跳）。",
    "WebSocket: close if no auth arrives in time (default 10000).": "WebSocket：未及时收到身份验证则关闭连接（默认 10000）。",
    "Trust this OpenID provider for signing in through the browser (its exact issuer URL).":
        "信任此 OpenID 提供方，用于通过浏览器登录（填写它确切的 issuer URL）。",
    "A client id (audience) its id_tokens may carry (repeatable; the first is offered to apps).":
        "它的 id_token 可以携带的 client id（即 audience；可重复，第一个会提供给应用）。",
    "The provider's id in /api/v1/auth/methods (default: google for Google, else oidc).":
        "提供方在 /api/v1/auth/methods 中的 id（默认：Google 为 google，其他为 oidc）。",
    "The provider's name on the sign-in button (default: Google for Google, else the issuer's host).":
        "登录按钮上显示的提供方名称（默认：Google 为 Google，其他为 issuer 的主机名）。",
    "WebSocket: send currentStep as a step name (\"rendering\"), as the seed's server does.":
        "WebSocket：以步骤名称（“rendering”）发送 currentStep，与 seed 参考服务器一致。",
    # demo server: fault switches
    "Fault: close each progress stream or socket after N messages.": "故障注入：每个进度流或套接字在发出 N 条消息后关闭。",
    "Fault: stall each progress stream for T ms after its second message.": "故障注入：每个进度流在第二条消息后停顿 T 毫秒。",
    "Fault: send one invalid-JSON message per job and dialect.": "故障注入：每个任务在每种进度协议中各发送一条无效的 JSON 消息。",
    "Fault: send one message past the 1 MiB line limit per job and dialect.":
        "故障注入：每个任务在每种进度协议中各发送一条超出 1 MiB 行长度上限的消息。",
    "Fault: fail every job at step N.": "故障注入：让每个任务在第 N 步失败。",
    "Fault: ... and mark that failure retryable.": "故障注入：……并把该失败标记为可重试。",
    "Fault: simulate a restart T ms after start.": "故障注入：启动 T 毫秒后模拟一次重启。",
    "Fault: how long the restart refuses connections (default 2000).": "故障注入：重启期间拒绝连接的时长（默认 2000）。",
    "Fault: answer every cancel with 503 Service Unavailable; the job goes on.":
        "故障注入：对每个取消请求都返回 503 Service Unavailable；任务照常进行。",
    "Fault: simulate a restart every T ms (the first after T ms, or after --restart-after-ms).":
        "故障注入：每隔 T 毫秒模拟一次重启（第一次在 T 毫秒后，或在 --restart-after-ms 之后）。",
    "Fault: answer the next N generate requests with 429 Too Many Requests.":
        "故障注入：对接下来的 N 个生成请求返回 429 Too Many Requests。",
    # demo server: wrong options
    "--bind takes an IP address": "--bind 需要一个 IP 地址",
    "--user takes NAME:PASSWORD[:CREDITS[:inactive]], not \"%1\"": "--user 的格式是 NAME:PASSWORD[:CREDITS[:inactive]]，而不是“%1”",
    "%1 must hold a JSON array of users": "%1 必须包含一个由用户组成的 JSON 数组",
    "%1: every user needs a username": "%1：每个用户都必须有 username",
    "--oidc-client-id, --oidc-provider-id and --oidc-name need --oidc-issuer":
        "--oidc-client-id、--oidc-provider-id 和 --oidc-name 需要与 --oidc-issuer 一起使用",
    "--oidc-issuer takes an https URL (http only on 127.0.0.1 or localhost), not \"%1\"":
        "--oidc-issuer 需要 https URL（只有 127.0.0.1 或 localhost 可以用 http），而不是“%1”",
    "--oidc-issuer needs at least one --oidc-client-id": "--oidc-issuer 至少需要一个 --oidc-client-id",
    "--oidc-provider-id and --oidc-name may not be empty": "--oidc-provider-id 和 --oidc-name 不能为空",
    "--refuse-ms must be shorter than --restart-every-ms": "--refuse-ms 必须短于 --restart-every-ms",
    # demo server: the job it plays (the rewritten prompt is shown as "Rewritten prompt")
    "Cinematic shot: %1. Soft natural light, slow push-in, shallow depth of field, 24 fps.":
        "电影感镜头：%1。柔和的自然光，缓慢推镜，浅景深，24 fps。",
    "Generation failed at step %1: the model is overloaded": "第 %1 步生成失败：模型负载过高",
    "Rendering failed: %1": "渲染失败：%1", "Could not store the video": "无法保存视频", "Cancelled by the user": "已被用户取消",
    # modules loaded at run time (demo server, thumbnailer, video encoder)
    "the file %1 is missing": "文件 %1 不存在", "The built-in demo server cannot be loaded: %1": "无法加载内置演示服务器：%1",
    "No thumbnails can be made: %1": "无法生成缩略图：%1",
    "No video decoder is available for thumbnails": "没有可用于生成缩略图的视频解码器",
    # the demo's video renderer (FFmpeg)
    "Video size must be positive and even": "视频尺寸必须是正偶数",
    "Video duration and frame rate must be positive": "视频时长和帧率必须为正数",
    "No H.264 encoder in this FFmpeg build": "此 FFmpeg 版本中没有 H.264 编码器",
    "Cannot create the MP4 container: %1": "无法创建 MP4 容器：%1", "Cannot open the H.264 encoder: %1": "无法打开 H.264 编码器：%1",
    "Cannot add a video stream": "无法添加视频流", "Cannot write the MP4 header: %1": "无法写入 MP4 文件头：%1",
    "Out of memory for a video frame": "内存不足，无法分配视频帧", "Cannot set up the colour conversion": "无法设置颜色转换",
    "Encoding failed: %1": "编码失败：%1", "Cannot write the video (disk full?): %1": "无法写入视频（磁盘已满？）：%1",
    "Cannot finish the MP4 file: %1": "无法完成 MP4 文件的写入：%1", "The video encoder cannot be loaded: %1": "无法加载视频编码器：%1",
    # progress streams: warnings about what the server sent (job log, --verbose)
    "field \"%1\" should be %2 but is %3; ignored": "字段“%1”应为 %2，实际为 %3；已忽略",
    "ignored a message that is not valid JSON (%1): %2": "已忽略一条无效的 JSON 消息（%1）：%2",
    "ignored a message that is not a JSON object: %1": "已忽略一条不是 JSON 对象的消息：%1",
    "ignored a message for job %1 on the stream of job %2": "已忽略任务 %2 的进度流中属于任务 %1 的消息",
    "unknown status \"%1\"": "未知的状态（status）“%1”", "unknown state \"%1\"": "未知的状态（state）“%1”",
    "ignored a stages-sse message without a type": "已忽略一条没有 type 的 stages-sse 消息",
    "the video stage finished without a video_url": "视频阶段已结束，但没有 video_url",
    "ignored a %1 message without videoId": "已忽略一条没有 videoId 的 %1 消息",
    "the job status \"%1\" is not one the protocol knows": "任务状态“%1”不是协议中定义的状态",
    "progress %1 is not within 0..100": "进度 %1 不在 0..100 之间", "ignored the estimated time %1 s": "已忽略预计时间 %1 秒",
    "ignored the step count %1": "已忽略步骤总数 %1", "ignored the step number %1": "已忽略步骤序号 %1",
    "step %1 is past the step count %2; the count is ignored": "第 %1 步超出了步骤总数 %2；已忽略该总数",
    "ignored a binary WebSocket message": "已忽略一条二进制 WebSocket 消息",
    "ignored a WebSocket message that is not a JSON object (%1): %2": "已忽略一条不是 JSON 对象的 WebSocket 消息（%1）：%2",
    "not an object": "不是对象", "ignored an authSuccess for another request": "已忽略属于另一个请求的 authSuccess",
    "the server reported an error: %1 %2": "服务器报告了错误：%1 %2",
    "ignored a WebSocket message of unknown type \"%1\"": "已忽略一条未知类型“%1”的 WebSocket 消息",
    # terminal (framecast --headless): wrong options
    "%1 is not accepted: secrets on the command line show in ps. Use --password-env VAR, --password-stdin or --token-env VAR.":
        "不接受 %1：命令行上的机密信息会出现在 ps 的输出中。请使用 --password-env VAR、--password-stdin 或 --token-env VAR。",
    "Unexpected argument: %1": "意外的参数：%1",
    "Give exactly one of --demo, --server URL or --profile NAME": "请在 --demo、--server URL 和 --profile NAME 中指定一个（且只能指定一个）",
    "--server needs an http:// or https:// URL, not \"%1\"": "--server 需要 http:// 或 https:// 开头的 URL，而不是“%1”",
    "--server needs --progress videos-sse|tasks-sse|stages-sse|websocket": "--server 需要搭配 --progress videos-sse|tasks-sse|stages-sse|websocket",
    "--progress takes videos-sse, tasks-sse, stages-sse or websocket, not \"%1\"":
        "--progress 取 videos-sse、tasks-sse、stages-sse 或 websocket，而不是“%1”",
    "--ws-url needs a ws:// or wss:// URL": "--ws-url 需要 ws:// 或 wss:// 开头的 URL",
    "Give --password-env or --password-stdin, not both": "请指定 --password-env 或 --password-stdin，不能同时指定",
    "Give either --token-env or --user with a password, not both": "请指定 --token-env，或 --user 加密码，不能同时指定",
    "--user needs --password-env VAR or --password-stdin": "--user 需要搭配 --password-env VAR 或 --password-stdin",
    "A password needs --user NAME": "指定密码时需要 --user NAME",
    "A job needs --prompt TEXT and --image FILE (or use --watch ID)": "任务需要 --prompt TEXT 和 --image FILE（或使用 --watch ID）",
    "--duration takes 4, 8 or 12": "--duration 取 4、8 或 12", "--size takes 1280x720 or 720x1280": "--size 取 1280x720 或 720x1280",
    "--timeout takes a positive number of seconds": "--timeout 需要一个正数（秒）",
    " (--allow-insecure-http)": "（--allow-insecure-http）",
    "Give one of --watch ID, --resume, or --prompt with --image": "请指定 --watch ID、--resume，或 --prompt 加 --image 中的一种",
    "Give either --no-ledger or --ledger FILE, not both": "请指定 --no-ledger 或 --ledger FILE，不能同时指定",
    "--resume reads the job history; it cannot be used with --no-ledger": "--resume 需要读取任务历史，不能与 --no-ledger 一起使用",
    "--resume saves each video under its own name; --output is not used with it":
        "--resume 会以各自的文件名保存每个视频，不能与 --output 一起使用",
    "--ca-file needs a file": "--ca-file 需要一个文件", "--proxy needs a URL or none": "--proxy 需要一个 URL 或 none",
    "--sign-in needs the id of one of the server's sign-in providers (e.g. google)":
        "--sign-in 需要服务器某个登录提供方的 id（如 google）",
    "Give either --sign-in or a password or token, not both": "请使用 --sign-in，或者密码或令牌，不能同时使用",
    "--no-browser goes with --sign-in PROVIDER_ID": "--no-browser 需要与 --sign-in PROVIDER_ID 一起使用",
    "Say how to log in: --user NAME with --password-env VAR or --password-stdin, --token-env VAR, or --sign-in PROVIDER_ID":
        "请指定登录方式：--user NAME 搭配 --password-env VAR 或 --password-stdin；或 --token-env VAR；或 --sign-in PROVIDER_ID",
    # terminal: framecast --headless --help (option names, metavariables and the column of the descriptions stay)
    """Usage: framecast --headless CONNECTION AUTH (JOB | --watch ID | --resume) [OUTPUT]

Generate a video from a terminal: log in, upload the reference image, start the
job, follow its progress live and download the result.

CONNECTION
  --demo                     start the built-in demo backend in-process and use it
  --server URL --progress videos-sse|tasks-sse|stages-sse|websocket
             [--ws-url URL] [--token-in-query] [--allow-insecure-http]
                             (plain http:// is refused for any host but this
                             computer unless --allow-insecure-http is given)
  --profile NAME             a saved server profile (from the desktop app)
  --ca-file FILE             also trust the certificates of this PEM file for the
                             server (a self-hosted backend, a company CA); the
                             system's CAs stay trusted, certificate errors are
                             never ignored
  --proxy URL|none           use this proxy (http://[user:password@]host:port) or
                             none; default: the system's (http_proxy, https_proxy,
                             no_proxy, which may carry user:password too)
AUTH
  --user NAME (--password-env VAR | --password-stdin)
  --token-env VAR            an API token in the environment variable VAR
  --sign-in PROVIDER_ID      sign in through the browser with one of the server's
                             OpenID Connect providers (e.g. google): the sign-in
                             address is printed (stderr; with --json a "sign_in"
                             line), the browser is opened when there is a desktop
                             session, and the answer comes back to 127.0.0.1
  --no-browser               with --sign-in: do not open a browser, only print the
                             address (open it on this computer)
  (--demo implies demo/demo.) Secrets are never read from the command line.
JOB
  --prompt TEXT --image FILE [--duration 4|8|12] [--size 1280x720|720x1280] [--model NAME]
                             --prompt again for more jobs, --variations N for N of
                             each; they start as the server and the credits allow,
                             each video to ./<job id>.mp4
  --watch ID                 follow an existing job instead and download its video
  --resume                   finish every job an earlier run (or the desktop app) left
                             unfinished on this server: watch it again, or fetch the
                             video of one that completed meanwhile; one the server
                             forgot is reported lost (exit 1). Each video goes where
                             its first run was told (--output), else ./<job id>.mp4
OUTPUT
  --output FILE              where the video goes (default ./<job id>.mp4)
  --json                     one JSON object per line on stdout
  --timeout SECONDS          give up after this long (exit 5)
  --quiet                    only the result and errors
  --verbose                  also Qt's own messages (start-up, platform) on stderr
  In a terminal the steps are one live line (bar, step, percent, ETA); piped, or
  with CI set, one line per step.
LEDGER
  Every job is recorded in the app's job history (the same one the desktop app shows).
  --no-ledger                record nothing (for CI)
  --ledger FILE              use this history database instead

Exit codes: 0 completed and saved, 1 job failed or cancelled, 2 usage or invalid
input, 3 authentication failed, 4 connection or protocol gave up (ten failed
reconnects in a row, then a status check), 5 timeout, 130 interrupted (the job
is cancelled on the server; one that completed first is saved, exit 0).
""":
        """用法：framecast --headless CONNECTION AUTH (JOB | --watch ID | --resume) [OUTPUT]

在终端中生成视频：登录，上传参考图片，启动任务，实时跟踪进度，
并下载生成的视频。

CONNECTION（连接）
  --demo                     在本进程中启动内置演示服务器并使用它
  --server URL --progress videos-sse|tasks-sse|stages-sse|websocket
             [--ws-url URL] [--token-in-query] [--allow-insecure-http]
                             （除本机外，任何主机都不能使用明文 http://，
                             除非指定了 --allow-insecure-http）
  --profile NAME             已保存的服务器配置（来自桌面应用）
  --ca-file FILE             连接服务器时，还信任此 PEM 文件中的
                             证书（如自建的后端、公司的 CA）；
                             系统的 CA 仍然受信任，
                             证书错误绝不会被忽略
  --proxy URL|none           使用此代理（http://[user:password@]host:port）或
                             none；默认使用系统的代理（http_proxy、https_proxy、
                             no_proxy，其中也可以带 user:password）
AUTH（身份验证）
  --user NAME (--password-env VAR | --password-stdin)
  --token-env VAR            环境变量 VAR 中的 API 令牌
  --sign-in PROVIDER_ID      通过浏览器，使用服务器的某个 OpenID Connect
                             提供方（如 google）登录：登录地址会打印出来
                             （输出到 stderr；使用 --json 时为一行
                             "sign_in"），有桌面会话时会打开浏览器，
                             浏览器的回应会返回到 127.0.0.1
  --no-browser               与 --sign-in 一起使用：不打开浏览器，只打印地址
                             （请在本机上打开它）
  （--demo 即表示使用 demo/demo 登录。）机密信息绝不从命令行读取。
JOB（任务）
  --prompt TEXT --image FILE [--duration 4|8|12] [--size 1280x720|720x1280] [--model NAME]
                             再次使用 --prompt 可添加更多任务，--variations N
                             可为每个提示词生成 N 个视频；任务在服务器和积分
                             允许时开始，每个视频保存为 ./<任务 ID>.mp4
  --watch ID                 改为跟踪一个已有的任务，并下载它的视频
  --resume                   完成之前的运行（或桌面应用）在此服务器上留下的
                             所有未完成任务：重新跟踪它，或下载其间已完成的
                             任务的视频；服务器已不再记录的任务报告为已丢失
                             （退出码 1）。每个视频保存到首次运行时指定的位置
                             （--output），否则保存为 ./<任务 ID>.mp4
OUTPUT（输出）
  --output FILE              视频的保存位置（默认为 ./<任务 ID>.mp4）
  --json                     在 stdout 上每行输出一个 JSON 对象
  --timeout SECONDS          超过此时长后放弃（退出码 5）
  --quiet                    只输出结果和错误
  --verbose                  同时在 stderr 上输出 Qt 自身的消息（启动、平台）
  在终端中，各步骤显示为一行实时更新的状态（进度条、步骤、百分比、预计
  剩余时间）；通过管道输出或设置了 CI 时，每个步骤输出一行。
LEDGER（任务历史）
  每个任务都会记录在应用的任务历史中（与桌面应用显示的是同一份历史）。
  --no-ledger                不记录任何内容（用于 CI）
  --ledger FILE              改用此历史数据库

退出码：0 已完成并保存；1 任务失败或已取消；2 用法错误或输入无效；
3 身份验证失败；4 因连接或协议问题放弃（连续 10 次重连失败，随后
又检查了一次状态）；5 超时；130 已中断（任务会在服务器上取消；若任务
在此之前已完成，则会保存，退出码为 0）。
""",
})
ZH_NUMERUS = {"%n reconnect(s)": "%n 次重连", "Gave up after %n attempt(s): %1": "尝试 %n 次后放弃：%1", "Resuming %n job(s)": "正在继续 %n 个任务",
              "%n queued job(s) not started: %1": "%n 个排队任务未开始：%1", "<b>Queue</b> · %n waiting": "<b>队列</b> · %n 个等待中",
              "%n job(s) still wait in the queue and will not be started. Quit anyway?": "队列中仍有 %n 个任务在等待，它们将不会开始。仍要退出吗？",
              "%n prompt(s)": "%n 个提示词", "Generate %n videos": "生成 %n 个视频"}


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
