<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AuthMethods</name>
    <message>
        <source>The server's sign-in methods are malformed: "oidc" is not a list</source>
        <translation>服务器的登录方式格式有误：“oidc”不是列表</translation>
    </message>
    <message>
        <source>The server lists a sign-in provider without id, client_id or a valid issuer URL</source>
        <translation>服务器列出的某个登录提供方缺少 id、client_id 或有效的 issuer URL</translation>
    </message>
    <message>
        <source>The server asks to listen on %1 for the browser's answer; only a loopback address (127.0.0.1) is used</source>
        <translation>服务器要求在 %1 上监听浏览器的回应；只会使用回环地址（127.0.0.1）</translation>
    </message>
</context>
<context>
    <name>DemoConfig</name>
    <message>
        <source>--%1 takes a whole number from %2 to %3</source>
        <translation>--%1 取 %2 到 %3 之间的整数</translation>
    </message>
    <message>
        <source>Port to listen on (default 8000; 0 picks a free one).</source>
        <translation>监听的端口（默认 8000；0 表示自动选一个空闲端口）。</translation>
    </message>
    <message>
        <source>Address to bind (default 127.0.0.1).</source>
        <translation>绑定的地址（默认 127.0.0.1）。</translation>
    </message>
    <message>
        <source>Also serve the WebSocket on this port, as the seed's 3001.</source>
        <translation>同时在此端口上提供 WebSocket 服务（seed 参考服务器用的是 3001）。</translation>
    </message>
    <message>
        <source>Folder for uploads and videos (default: a temporary folder).</source>
        <translation>存放上传文件和视频的文件夹（默认：一个临时文件夹）。</translation>
    </message>
    <message>
        <source>Add a user NAME:PASSWORD[:CREDITS[:inactive]] (repeatable).</source>
        <translation>添加用户 NAME:PASSWORD[:CREDITS[:inactive]]（可重复）。</translation>
    </message>
    <message>
        <source>Add users from a JSON array of {username, password, credits, active}.</source>
        <translation>从 {username, password, credits, active} 组成的 JSON 数组添加用户。</translation>
    </message>
    <message>
        <source>Fixed delay between steps (default 2000-3000 at random).</source>
        <translation>步骤之间的固定延迟（默认在 2000-3000 之间随机）。</translation>
    </message>
    <message>
        <source>Render small 160x90 videos quickly (for tests).</source>
        <translation>快速渲染 160x90 的小视频（用于测试）。</translation>
    </message>
    <message>
        <source>Token lifetime in seconds (default 3600); then 401.</source>
        <translation>令牌有效期，单位为秒（默认 3600）；过期后返回 401。</translation>
    </message>
    <message>
        <source>WebSocket heartbeat interval (default 30000; 0: none).</source>
        <translation>WebSocket 心跳间隔（默认 30000；0：不发心跳）。</translation>
    </message>
    <message>
        <source>WebSocket: close if no auth arrives in time (default 10000).</source>
        <translation>WebSocket：未及时收到身份验证则关闭连接（默认 10000）。</translation>
    </message>
    <message>
        <source>Fault: close each progress stream or socket after N messages.</source>
        <translation>故障注入：每个进度流或套接字在发出 N 条消息后关闭。</translation>
    </message>
    <message>
        <source>Fault: stall each progress stream for T ms after its second message.</source>
        <translation>故障注入：每个进度流在第二条消息后停顿 T 毫秒。</translation>
    </message>
    <message>
        <source>Fault: send one invalid-JSON message per job and dialect.</source>
        <translation>故障注入：每个任务在每种进度协议中各发送一条无效的 JSON 消息。</translation>
    </message>
    <message>
        <source>Fault: send one message past the 1 MiB line limit per job and dialect.</source>
        <translation>故障注入：每个任务在每种进度协议中各发送一条超出 1 MiB 行长度上限的消息。</translation>
    </message>
    <message>
        <source>Fault: fail every job at step N.</source>
        <translation>故障注入：让每个任务在第 N 步失败。</translation>
    </message>
    <message>
        <source>Fault: ... and mark that failure retryable.</source>
        <translation>故障注入：……并把该失败标记为可重试。</translation>
    </message>
    <message>
        <source>Fault: simulate a restart T ms after start.</source>
        <translation>故障注入：启动 T 毫秒后模拟一次重启。</translation>
    </message>
    <message>
        <source>Fault: how long the restart refuses connections (default 2000).</source>
        <translation>故障注入：重启期间拒绝连接的时长（默认 2000）。</translation>
    </message>
    <message>
        <source>--bind takes an IP address</source>
        <translation>--bind 需要一个 IP 地址</translation>
    </message>
    <message>
        <source>--user takes NAME:PASSWORD[:CREDITS[:inactive]], not "%1"</source>
        <translation>--user 的格式是 NAME:PASSWORD[:CREDITS[:inactive]]，而不是“%1”</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 must hold a JSON array of users</source>
        <translation>%1 必须包含一个由用户组成的 JSON 数组</translation>
    </message>
    <message>
        <source>%1: every user needs a username</source>
        <translation>%1：每个用户都必须有 username</translation>
    </message>
    <message>
        <source>--oidc-client-id, --oidc-provider-id and --oidc-name need --oidc-issuer</source>
        <translation>--oidc-client-id、--oidc-provider-id 和 --oidc-name 需要与 --oidc-issuer 一起使用</translation>
    </message>
    <message>
        <source>--oidc-issuer takes an https URL (http only on 127.0.0.1 or localhost), not "%1"</source>
        <translation>--oidc-issuer 需要 https URL（只有 127.0.0.1 或 localhost 可以用 http），而不是“%1”</translation>
    </message>
    <message>
        <source>--oidc-issuer needs at least one --oidc-client-id</source>
        <translation>--oidc-issuer 至少需要一个 --oidc-client-id</translation>
    </message>
    <message>
        <source>--oidc-provider-id and --oidc-name may not be empty</source>
        <translation>--oidc-provider-id 和 --oidc-name 不能为空</translation>
    </message>
    <message>
        <source>Trust this OpenID provider for signing in through the browser (its exact issuer URL).</source>
        <translation>信任此 OpenID 提供方，用于通过浏览器登录（填写它确切的 issuer URL）。</translation>
    </message>
    <message>
        <source>A client id (audience) its id_tokens may carry (repeatable; the first is offered to apps).</source>
        <translation>它的 id_token 可以携带的 client id（即 audience；可重复，第一个会提供给应用）。</translation>
    </message>
    <message>
        <source>The provider's id in /api/v1/auth/methods (default: google for Google, else oidc).</source>
        <translation>提供方在 /api/v1/auth/methods 中的 id（默认：Google 为 google，其他为 oidc）。</translation>
    </message>
    <message>
        <source>The provider's name on the sign-in button (default: Google for Google, else the issuer's host).</source>
        <translation>登录按钮上显示的提供方名称（默认：Google 为 Google，其他为 issuer 的主机名）。</translation>
    </message>
    <message>
        <source>Fault: answer every cancel with 503 Service Unavailable; the job goes on.</source>
        <translation>故障注入：对每个取消请求都返回 503 Service Unavailable；任务照常进行。</translation>
    </message>
    <message>
        <source>Fault: simulate a restart every T ms (the first after T ms, or after --restart-after-ms).</source>
        <translation>故障注入：每隔 T 毫秒模拟一次重启（第一次在 T 毫秒后，或在 --restart-after-ms 之后）。</translation>
    </message>
    <message>
        <source>--refuse-ms must be shorter than --restart-every-ms</source>
        <translation>--refuse-ms 必须短于 --restart-every-ms</translation>
    </message>
    <message>
        <source>Fault: answer the next N generate requests with 429 Too Many Requests.</source>
        <translation>故障注入：对接下来的 N 个生成请求返回 429 Too Many Requests。</translation>
    </message>
    <message>
        <source>WebSocket: send currentStep as a step name ("rendering"), as the seed's server does.</source>
        <translation>WebSocket：以步骤名称（“rendering”）发送 currentStep，与 seed 参考服务器一致。</translation>
    </message>
</context>
<context>
    <name>DemoModuleLoader</name>
    <message>
        <source>the file %1 is missing</source>
        <translation>文件 %1 不存在</translation>
    </message>
    <message>
        <source>The built-in demo server cannot be loaded: %1</source>
        <translation>无法加载内置演示服务器：%1</translation>
    </message>
</context>
<context>
    <name>FieldReader</name>
    <message>
        <source>field "%1" should be %2 but is %3; ignored</source>
        <translation>字段“%1”应为 %2，实际为 %3；已忽略</translation>
    </message>
</context>
<context>
    <name>HeadlessOptions</name>
    <message>
        <source>%1 is not accepted: secrets on the command line show in ps. Use --password-env VAR, --password-stdin or --token-env VAR.</source>
        <translation>不接受 %1：命令行上的机密信息会出现在 ps 的输出中。请使用 --password-env VAR、--password-stdin 或 --token-env VAR。</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>意外的参数：%1</translation>
    </message>
    <message>
        <source>Give exactly one of --demo, --server URL or --profile NAME</source>
        <translation>请在 --demo、--server URL 和 --profile NAME 中指定一个（且只能指定一个）</translation>
    </message>
    <message>
        <source>--server needs an http:// or https:// URL, not "%1"</source>
        <translation>--server 需要 http:// 或 https:// 开头的 URL，而不是“%1”</translation>
    </message>
    <message>
        <source>--server needs --progress videos-sse|tasks-sse|stages-sse|websocket</source>
        <translation>--server 需要搭配 --progress videos-sse|tasks-sse|stages-sse|websocket</translation>
    </message>
    <message>
        <source>--progress takes videos-sse, tasks-sse, stages-sse or websocket, not "%1"</source>
        <translation>--progress 取 videos-sse、tasks-sse、stages-sse 或 websocket，而不是“%1”</translation>
    </message>
    <message>
        <source>--ws-url needs a ws:// or wss:// URL</source>
        <translation>--ws-url 需要 ws:// 或 wss:// 开头的 URL</translation>
    </message>
    <message>
        <source>Give --password-env or --password-stdin, not both</source>
        <translation>请指定 --password-env 或 --password-stdin，不能同时指定</translation>
    </message>
    <message>
        <source>Give either --token-env or --user with a password, not both</source>
        <translation>请指定 --token-env，或 --user 加密码，不能同时指定</translation>
    </message>
    <message>
        <source>--user needs --password-env VAR or --password-stdin</source>
        <translation>--user 需要搭配 --password-env VAR 或 --password-stdin</translation>
    </message>
    <message>
        <source>A password needs --user NAME</source>
        <translation>指定密码时需要 --user NAME</translation>
    </message>
    <message>
        <source>A job needs --prompt TEXT and --image FILE (or use --watch ID)</source>
        <translation>任务需要 --prompt TEXT 和 --image FILE（或使用 --watch ID）</translation>
    </message>
    <message>
        <source>--duration takes 4, 8 or 12</source>
        <translation>--duration 取 4、8 或 12</translation>
    </message>
    <message>
        <source>--size takes 1280x720 or 720x1280</source>
        <translation>--size 取 1280x720 或 720x1280</translation>
    </message>
    <message>
        <source>--timeout takes a positive number of seconds</source>
        <translation>--timeout 需要一个正数（秒）</translation>
    </message>
    <message>
        <source> (--allow-insecure-http)</source>
        <translation>（--allow-insecure-http）</translation>
    </message>
    <message>
        <source>Give one of --watch ID, --resume, or --prompt with --image</source>
        <translation>请指定 --watch ID、--resume，或 --prompt 加 --image 中的一种</translation>
    </message>
    <message>
        <source>Give either --no-ledger or --ledger FILE, not both</source>
        <translation>请指定 --no-ledger 或 --ledger FILE，不能同时指定</translation>
    </message>
    <message>
        <source>--resume reads the job history; it cannot be used with --no-ledger</source>
        <translation>--resume 需要读取任务历史，不能与 --no-ledger 一起使用</translation>
    </message>
    <message>
        <source>--resume saves each video under its own name; --output is not used with it</source>
        <translation>--resume 会以各自的文件名保存每个视频，不能与 --output 一起使用</translation>
    </message>
    <message>
        <source>--ca-file needs a file</source>
        <translation>--ca-file 需要一个文件</translation>
    </message>
    <message>
        <source>--proxy needs a URL or none</source>
        <translation>--proxy 需要一个 URL 或 none</translation>
    </message>
    <message>
        <source>--sign-in needs the id of one of the server's sign-in providers (e.g. google)</source>
        <translation>--sign-in 需要服务器某个登录提供方的 id（如 google）</translation>
    </message>
    <message>
        <source>Give either --sign-in or a password or token, not both</source>
        <translation>请使用 --sign-in，或者密码或令牌，不能同时使用</translation>
    </message>
    <message>
        <source>--no-browser goes with --sign-in PROVIDER_ID</source>
        <translation>--no-browser 需要与 --sign-in PROVIDER_ID 一起使用</translation>
    </message>
    <message>
        <source>Say how to log in: --user NAME with --password-env VAR or --password-stdin, --token-env VAR, or --sign-in PROVIDER_ID</source>
        <translation>请指定登录方式：--user NAME 搭配 --password-env VAR 或 --password-stdin；或 --token-env VAR；或 --sign-in PROVIDER_ID</translation>
    </message>
    <message>
        <source>Usage: framecast --headless CONNECTION AUTH (JOB | --watch ID | --resume) [OUTPUT]

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
                             each video to ./&lt;job id&gt;.mp4
  --watch ID                 follow an existing job instead and download its video
  --resume                   finish every job an earlier run (or the desktop app) left
                             unfinished on this server: watch it again, or fetch the
                             video of one that completed meanwhile; one the server
                             forgot is reported lost (exit 1). Each video goes where
                             its first run was told (--output), else ./&lt;job id&gt;.mp4
OUTPUT
  --output FILE              where the video goes (default ./&lt;job id&gt;.mp4)
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
</source>
        <translation>用法：framecast --headless CONNECTION AUTH (JOB | --watch ID | --resume) [OUTPUT]

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
                             允许时开始，每个视频保存为 ./&lt;任务 ID&gt;.mp4
  --watch ID                 改为跟踪一个已有的任务，并下载它的视频
  --resume                   完成之前的运行（或桌面应用）在此服务器上留下的
                             所有未完成任务：重新跟踪它，或下载其间已完成的
                             任务的视频；服务器已不再记录的任务报告为已丢失
                             （退出码 1）。每个视频保存到首次运行时指定的位置
                             （--output），否则保存为 ./&lt;任务 ID&gt;.mp4
OUTPUT（输出）
  --output FILE              视频的保存位置（默认为 ./&lt;任务 ID&gt;.mp4）
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
</translation>
    </message>
    <message>
        <source>--variations takes a number from 1 to 100</source>
        <translation>--variations 取 1 到 100 之间的数字</translation>
    </message>
    <message>
        <source>--output names one file; with several jobs each video goes to ./&lt;job id&gt;.mp4</source>
        <translation>--output 只能指定一个文件；多个任务时每个视频保存为 ./&lt;任务 ID&gt;.mp4</translation>
    </message>
</context>
<context>
    <name>ImageCheck</name>
    <message>
        <source>%1 does not exist</source>
        <translation>%1 不存在</translation>
    </message>
    <message>
        <source>%1 is %2 MB; images of at most 20 MB are accepted</source>
        <translation>%1 大小为 %2 MB；图片最大 20 MB</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than 20 MB</source>
        <translation>%1 超过 20 MB</translation>
    </message>
    <message>
        <source>%1 is not a PNG, JPEG or WebP image</source>
        <translation>%1 不是 PNG、JPEG 或 WebP 图片</translation>
    </message>
    <message>
        <source>%1 cannot be read as an image: %2</source>
        <translation>%1 无法作为图片读取：%2</translation>
    </message>
    <message>
        <source>%1 is %2x%3 pixels; at most %4 pixels a side are accepted</source>
        <translation>%1 为 %2x%3 像素；每边最多 %4 像素</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 已损坏：%2</translation>
    </message>
    <message>
        <source>The prompt needs at least 10 characters (it has %1)</source>
        <translation>提示词至少需要 10 个字符（当前 %1 个）</translation>
    </message>
    <message>
        <source>The prompt may have at most 2000 characters (it has %1)</source>
        <translation>提示词最多 2000 个字符（当前 %1 个）</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <source>The job failed</source>
        <translation>任务失败</translation>
    </message>
    <message>
        <source>🛑 Cancelled</source>
        <translation>🛑 已取消</translation>
    </message>
    <message>
        <source>The server no longer knows this job</source>
        <translation>服务器已不再记录此任务</translation>
    </message>
</context>
<context>
    <name>Ledger</name>
    <message>
        <source>The job history could not be opened; this session's jobs are kept in memory only.</source>
        <translation>无法打开任务历史；本次的任务只保存在内存中。</translation>
    </message>
    <message>
        <source>The job history %1 cannot be opened: %2</source>
        <translation>无法打开任务历史 %1：%2</translation>
    </message>
    <message>
        <source>The job history could not be read (%1). It was moved to %2 and a new one was started.</source>
        <translation>无法读取任务历史（%1）。它已被移到 %2，并已新建历史。</translation>
    </message>
    <message>
        <source>The job history %1 could not be read (%2) nor moved aside; this session's jobs are kept in memory only.</source>
        <translation>无法读取任务历史 %1（%2），也无法将其移走；本次的任务只保存在内存中。</translation>
    </message>
    <message>
        <source>The job history %1 was written by a newer Framecast (schema %2); it is left untouched and this session's jobs are kept in memory only.</source>
        <translation>任务历史 %1 由更新版本的 Framecast 写入（架构 %2）；它保持原样，本次的任务只保存在内存中。</translation>
    </message>
    <message>
        <source>The job history %1 could not be updated: %2</source>
        <translation>无法更新任务历史 %1：%2</translation>
    </message>
    <message>
        <source>The job history could not be saved (%1). Jobs go on; free some disk space to keep their history.</source>
        <translation>无法保存任务历史（%1）。任务会继续；请释放磁盘空间以保留历史。</translation>
    </message>
</context>
<context>
    <name>OAuthErrorText</name>
    <message>
        <source>The sign-in was declined in the browser</source>
        <translation>已在浏览器中拒绝登录</translation>
    </message>
    <message>
        <source>The provider no longer accepts this sign-in (the code expired, was used already, or PKCE did not match)</source>
        <translation>提供方不再接受此次登录（授权码已过期、已被使用，或 PKCE 不匹配）</translation>
    </message>
    <message>
        <source>The provider does not know this app's client id, or does not let it sign in this way</source>
        <translation>提供方不认识此应用的 client id，或不允许它以这种方式登录</translation>
    </message>
    <message>
        <source>The provider refused the sign-in request</source>
        <translation>提供方拒绝了登录请求</translation>
    </message>
    <message>
        <source>The provider refused the requested scopes</source>
        <translation>提供方拒绝了所请求的权限范围</translation>
    </message>
    <message>
        <source>The provider does not support this kind of sign-in</source>
        <translation>提供方不支持这种登录方式</translation>
    </message>
    <message>
        <source>The provider needs you to sign in or consent in the browser</source>
        <translation>提供方需要你在浏览器中登录或同意授权</translation>
    </message>
    <message>
        <source>The provider had an internal error</source>
        <translation>提供方发生内部错误</translation>
    </message>
    <message>
        <source>The provider is temporarily unavailable; try again later</source>
        <translation>提供方暂时不可用，请稍后重试</translation>
    </message>
    <message>
        <source>The provider refused the sign-in</source>
        <translation>提供方拒绝了登录</translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>Give the server a name</source>
        <translation>请为服务器命名</translation>
    </message>
    <message>
        <source>A server name cannot contain / or \</source>
        <translation>服务器名称不能包含 / 或 \</translation>
    </message>
    <message>
        <source>The address must be an http:// or https:// URL</source>
        <translation>地址必须是 http:// 或 https:// 开头的 URL</translation>
    </message>
    <message>
        <source>The WebSocket address must be a ws:// or wss:// URL</source>
        <translation>WebSocket 地址必须是 ws:// 或 wss:// 开头的 URL</translation>
    </message>
    <message>
        <source>The built-in demo server cannot be changed</source>
        <translation>内置演示服务器不能修改</translation>
    </message>
    <message>
        <source>Could not save the settings</source>
        <translation>无法保存设置</translation>
    </message>
    <message>
        <source>Leave the user name and password out of the proxy address: Framecast asks for them when the proxy wants them, and can keep them in the keychain</source>
        <translation>代理地址中不要写用户名和密码：代理需要时 Framecast 会询问，并可将其保存在钥匙串中</translation>
    </message>
</context>
<context>
    <name>ProgressDecoder</name>
    <message>
        <source>ignored a message that is not valid JSON (%1): %2</source>
        <translation>已忽略一条无效的 JSON 消息（%1）：%2</translation>
    </message>
    <message>
        <source>ignored a message that is not a JSON object: %1</source>
        <translation>已忽略一条不是 JSON 对象的消息：%1</translation>
    </message>
    <message>
        <source>ignored a message for job %1 on the stream of job %2</source>
        <translation>已忽略任务 %2 的进度流中属于任务 %1 的消息</translation>
    </message>
    <message>
        <source>unknown status "%1"</source>
        <translation>未知的状态（status）“%1”</translation>
    </message>
    <message>
        <source>The job failed</source>
        <translation>任务失败</translation>
    </message>
    <message>
        <source>unknown state "%1"</source>
        <translation>未知的状态（state）“%1”</translation>
    </message>
    <message>
        <source>The task failed</source>
        <translation>任务失败</translation>
    </message>
    <message>
        <source>⏳ Queued</source>
        <translation>⏳ 排队中</translation>
    </message>
    <message>
        <source>⚙️ Processing</source>
        <translation>⚙️ 处理中</translation>
    </message>
    <message>
        <source>🎉 Video ready!</source>
        <translation>🎉 视频已就绪！</translation>
    </message>
    <message>
        <source>❌ %1</source>
        <translation>❌ %1</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>🛑 Cancelled</source>
        <translation>🛑 已取消</translation>
    </message>
    <message>
        <source>ignored a stages-sse message without a type</source>
        <translation>已忽略一条没有 type 的 stages-sse 消息</translation>
    </message>
    <message>
        <source>Stage %1 failed</source>
        <translation>阶段 %1 失败</translation>
    </message>
    <message>
        <source>%1 — done</source>
        <translation>%1 — 完成</translation>
    </message>
    <message>
        <source>the video stage finished without a video_url</source>
        <translation>视频阶段已结束，但没有 video_url</translation>
    </message>
    <message>
        <source>The project failed</source>
        <translation>项目失败</translation>
    </message>
    <message>
        <source>ignored a %1 message without videoId</source>
        <translation>已忽略一条没有 videoId 的 %1 消息</translation>
    </message>
    <message>
        <source>the job status "%1" is not one the protocol knows</source>
        <translation>任务状态“%1”不是协议中定义的状态</translation>
    </message>
    <message>
        <source>✍️ Rewriting the prompt</source>
        <translation>✍️ 改写提示词</translation>
    </message>
    <message>
        <source>🗂️ Storyboard</source>
        <translation>🗂️ 分镜</translation>
    </message>
    <message>
        <source>🖼️ Image generation</source>
        <translation>🖼️ 文生图</translation>
    </message>
    <message>
        <source>🎥 Camera movement</source>
        <translation>🎥 运镜</translation>
    </message>
    <message>
        <source>🎬 Video generation</source>
        <translation>🎬 图生视频</translation>
    </message>
    <message>
        <source>progress %1 is not within 0..100</source>
        <translation>进度 %1 不在 0..100 之间</translation>
    </message>
    <message>
        <source>ignored the estimated time %1 s</source>
        <translation>已忽略预计时间 %1 秒</translation>
    </message>
    <message>
        <source>ignored the step count %1</source>
        <translation>已忽略步骤总数 %1</translation>
    </message>
    <message>
        <source>ignored the step number %1</source>
        <translation>已忽略步骤序号 %1</translation>
    </message>
    <message>
        <source>step %1 is past the step count %2; the count is ignored</source>
        <translation>第 %1 步超出了步骤总数 %2；已忽略该总数</translation>
    </message>
</context>
<context>
    <name>ProgressTransport</name>
    <message>
        <source>The server ended the progress stream before the job finished</source>
        <translation>任务尚未完成，服务器就结束了进度流</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Built-in demo server</source>
        <translation>内置演示服务器</translation>
    </message>
    <message>
        <source>Use https:// (and wss://) for %1: only this computer may be reached over plain http, unless the profile explicitly allows insecure connections</source>
        <translation>请为 %1 使用 https://（及 wss://）：除非服务器配置明确允许不安全的连接，否则只有本机可以使用明文 http</translation>
    </message>
</context>
<context>
    <name>SseParser</name>
    <message>
        <source>A line of the event stream is longer than %1 bytes</source>
        <translation>事件流中有一行超过 %1 字节</translation>
    </message>
    <message>
        <source>An event of the event stream is larger than %1 bytes</source>
        <translation>事件流中有一个事件超过 %1 字节</translation>
    </message>
</context>
<context>
    <name>ThumbnailerModuleLoader</name>
    <message>
        <source>the file %1 is missing</source>
        <translation>文件 %1 不存在</translation>
    </message>
    <message>
        <source>No thumbnails can be made: %1</source>
        <translation>无法生成缩略图：%1</translation>
    </message>
</context>
<context>
    <name>VideoRenderer</name>
    <message>
        <source>Video size must be positive and even</source>
        <translation>视频尺寸必须是正偶数</translation>
    </message>
    <message>
        <source>Video duration and frame rate must be positive</source>
        <translation>视频时长和帧率必须为正数</translation>
    </message>
    <message>
        <source>No H.264 encoder in this FFmpeg build</source>
        <translation>此 FFmpeg 版本中没有 H.264 编码器</translation>
    </message>
    <message>
        <source>Cannot create the MP4 container: %1</source>
        <translation>无法创建 MP4 容器：%1</translation>
    </message>
    <message>
        <source>Cannot open the H.264 encoder: %1</source>
        <translation>无法打开 H.264 编码器：%1</translation>
    </message>
    <message>
        <source>Cannot add a video stream</source>
        <translation>无法添加视频流</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write the MP4 header: %1</source>
        <translation>无法写入 MP4 文件头：%1</translation>
    </message>
    <message>
        <source>Out of memory for a video frame</source>
        <translation>内存不足，无法分配视频帧</translation>
    </message>
    <message>
        <source>Cannot set up the colour conversion</source>
        <translation>无法设置颜色转换</translation>
    </message>
    <message>
        <source>Encoding failed: %1</source>
        <translation>编码失败：%1</translation>
    </message>
    <message>
        <source>Cannot write the video (disk full?): %1</source>
        <translation>无法写入视频（磁盘已满？）：%1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cannot finish the MP4 file: %1</source>
        <translation>无法完成 MP4 文件的写入：%1</translation>
    </message>
    <message>
        <source>The video encoder cannot be loaded: %1</source>
        <translation>无法加载视频编码器：%1</translation>
    </message>
</context>
<context>
    <name>framecast</name>
    <message>
        <source>Cannot read the certificate file %1: %2</source>
        <translation>无法读取证书文件 %1：%2</translation>
    </message>
    <message>
        <source>%1 is too large for a certificate file</source>
        <translation>%1 太大，不是证书文件</translation>
    </message>
    <message>
        <source>%1 is not a PEM certificate file (it should hold one or more "-----BEGIN CERTIFICATE-----" blocks)</source>
        <translation>%1 不是 PEM 证书文件（应包含一个或多个“-----BEGIN CERTIFICATE-----”块）</translation>
    </message>
    <message>
        <source>%1 holds a certificate that cannot be read</source>
        <translation>%1 中有无法读取的证书</translation>
    </message>
    <message>
        <source>The proxy must be "system", "none" or a URL such as http://proxy.example.com:3128, not "%1"</source>
        <translation>代理必须是“system”、“none”或 URL（如 http://proxy.example.com:3128），而不是“%1”</translation>
    </message>
    <message>
        <source>%1 — SHA-256 %2</source>
        <translation>%1 — SHA-256 %2</translation>
    </message>
</context>
<context>
    <name>framecast::ApiClient</name>
    <message>
        <source>The server did not answer in time</source>
        <translation>服务器未及时响应</translation>
    </message>
    <message>
        <source>Secure connection failed: %1</source>
        <translation>安全连接失败：%1</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>无法连接服务器：%1</translation>
    </message>
    <message>
        <source>The server's answer is not a JSON object: %1</source>
        <translation>服务器的回应不是 JSON 对象：%1</translation>
    </message>
    <message>
        <source>The login answer has no access_token</source>
        <translation>登录回应中没有 access_token</translation>
    </message>
    <message>
        <source>The server's answer is larger than %1 MiB</source>
        <translation>服务器的回应超过 %1 MiB</translation>
    </message>
</context>
<context>
    <name>framecast::HttpErrorText</name>
    <message>
        <source>the server could not make sense of the request</source>
        <translation>服务器无法理解该请求</translation>
    </message>
    <message>
        <source>the server wants a login</source>
        <translation>服务器要求登录</translation>
    </message>
    <message>
        <source>the server does not allow this</source>
        <translation>服务器不允许此操作</translation>
    </message>
    <message>
        <source>the server has nothing at this address; is the API address right?</source>
        <translation>服务器在此地址下没有内容；API 地址正确吗？</translation>
    </message>
    <message>
        <source>the server does not take this request at this address; is the API address right?</source>
        <translation>服务器在此地址不接受此请求；API 地址正确吗？</translation>
    </message>
    <message>
        <source>the server gave up waiting for the request</source>
        <translation>服务器等待请求超时</translation>
    </message>
    <message>
        <source>the image is larger than the server, or a proxy in front of it, accepts</source>
        <translation>图片超出了服务器（或其前端代理）允许的大小</translation>
    </message>
    <message>
        <source>the server does not take this type of file</source>
        <translation>服务器不接受此类型的文件</translation>
    </message>
    <message>
        <source>too many requests; try again in a moment</source>
        <translation>请求过多；请稍后重试</translation>
    </message>
    <message>
        <source>the server failed while handling the request; its log says why</source>
        <translation>服务器处理请求时出错；原因见服务器日志</translation>
    </message>
    <message>
        <source>the server does not support this request</source>
        <translation>服务器不支持此请求</translation>
    </message>
    <message>
        <source>a proxy in front of the server got no valid answer from it; the server may be down or restarting</source>
        <translation>服务器前端的代理未从服务器得到有效响应；服务器可能已停止或正在重启</translation>
    </message>
    <message>
        <source>the server is overloaded or down for maintenance; try again later</source>
        <translation>服务器过载或正在维护；请稍后重试</translation>
    </message>
    <message>
        <source>a proxy in front of the server got no answer from it in time</source>
        <translation>服务器前端的代理未能及时得到服务器的响应</translation>
    </message>
    <message>
        <source>Unexpected answer (HTTP %1)</source>
        <translation>意外的回应（HTTP %1）</translation>
    </message>
    <message>
        <source>%1 (HTTP %2)</source>
        <translation>%1（HTTP %2）</translation>
    </message>
    <message>
        <source>%1 (HTTP %2): %3.</source>
        <translation>%1（HTTP %2）：%3。</translation>
    </message>
    <message>
        <source>The server said: “%1”</source>
        <translation>服务器的原话：“%1”</translation>
    </message>
</context>
<context>
    <name>framecast::Job</name>
    <message>
        <source>submitting</source>
        <translation>提交中</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>已丢失</translation>
    </message>
</context>
<context>
    <name>framecast::JobLifecycle</name>
    <message>
        <source>Log in first</source>
        <translation>请先登录</translation>
    </message>
    <message>
        <source>The server refused the image: %1</source>
        <translation>服务器拒绝了图片：%1</translation>
    </message>
    <message>
        <source>The image could not be uploaded: %1</source>
        <translation>图片无法上传：%1</translation>
    </message>
    <message>
        <source>The server refused the job: %1</source>
        <translation>服务器拒绝了任务：%1</translation>
    </message>
    <message>
        <source>Could not start the job: %1</source>
        <translation>无法启动任务：%1</translation>
    </message>
    <message>
        <source>The server did not return a job id</source>
        <translation>服务器没有返回任务 ID</translation>
    </message>
    <message>
        <source>Cancelling failed: %1</source>
        <translation>取消失败：%1</translation>
    </message>
    <message>
        <source>The job completed without a video URL</source>
        <translation>任务已完成，但没有视频 URL</translation>
    </message>
    <message>
        <source>The server is busy: %1</source>
        <translation>服务器繁忙：%1</translation>
    </message>
    <message>
        <source>Change the prompt or the image, then press Generate again.</source>
        <translation>请修改提示词或图片，然后再次点击“生成”。</translation>
    </message>
    <message>
        <source>Log in again (Account ▸ Log in…), then press Generate again.</source>
        <translation>请重新登录（账户 ▸ 登录…），然后再次点击“生成”。</translation>
    </message>
    <message>
        <source>Your account has too few credits for a video. Top up your credits on the server, then press Generate again.</source>
        <translation>账户积分不足以生成视频。请在服务器上充值积分，然后再次点击“生成”。</translation>
    </message>
    <message>
        <source>Your account may not generate videos (is its subscription active?). Ask the server's administrator.</source>
        <translation>此账户无权生成视频（订阅是否有效？）。请联系服务器管理员。</translation>
    </message>
    <message>
        <source>Check the server and your connection, then press Generate again.</source>
        <translation>请检查服务器和网络连接，然后再次点击“生成”。</translation>
    </message>
    <message>
        <source>The server is busy; press Generate again in a moment.</source>
        <translation>服务器繁忙，请稍后再次点击“生成”。</translation>
    </message>
</context>
<context>
    <name>framecast::JobQueue</name>
    <message>
        <source>another user signed in to this server</source>
        <translation>另一位用户登录了此服务器</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Paused: %1</source>
        <translation>已暂停：%1</translation>
    </message>
    <message>
        <source>Waiting for a login</source>
        <translation>等待登录</translation>
    </message>
    <message>
        <source>Waiting for a login: %1</source>
        <translation>等待登录：%1</translation>
    </message>
    <message>
        <source>Waiting for a running job to finish (%1 at a time)</source>
        <translation>等待正在运行的任务结束（每次最多 %1 个）</translation>
    </message>
    <message>
        <source>Waiting for credits: %1</source>
        <translation>等待积分：%1</translation>
    </message>
    <message>
        <source>Waiting for credits: %1 left, a video costs %2</source>
        <translation>等待积分：剩余 %1，每个视频需要 %2</translation>
    </message>
    <message>
        <source>Checking the credits…</source>
        <translation>正在核对积分…</translation>
    </message>
    <message>
        <source>%1; trying again in %2 s</source>
        <translation>%1；%2 秒后重试</translation>
    </message>
    <message numerus="yes">
        <source>%n queued job(s) not started: %1</source>
        <translation>
            <numerusform>%n 个排队任务未开始：%1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::KeychainSecretStore</name>
    <message>
        <source>this build of Framecast has no keychain support</source>
        <translation>此版本的 Framecast 不支持钥匙串</translation>
    </message>
    <message>
        <source>The keychain did not answer within %1 s</source>
        <translation>钥匙串在 %1 秒内没有响应</translation>
    </message>
</context>
<context>
    <name>framecast::NetworkSettings</name>
    <message>
        <source>The proxy asks for a user name and password</source>
        <translation>代理服务器要求提供用户名和密码</translation>
    </message>
    <message>
        <source>(system)</source>
        <translation>（系统）</translation>
    </message>
    <message>
        <source>Cannot reach the proxy %1: %2</source>
        <translation>无法连接代理服务器 %1：%2</translation>
    </message>
</context>
<context>
    <name>framecast::ProxyAuthenticator</name>
    <message>
        <source>The proxy refused the user name and password</source>
        <translation>代理服务器拒绝了用户名和密码</translation>
    </message>
    <message>
        <source>(system)</source>
        <translation>（系统）</translation>
    </message>
    <message>
        <source>The proxy %1 refused the user name and password</source>
        <translation>代理服务器 %1 拒绝了用户名和密码</translation>
    </message>
    <message>
        <source>The proxy %1 asks for a user name and password: give them in the proxy URL (http://user:password@host:port)</source>
        <translation>代理服务器 %1 要求提供用户名和密码：请写在代理 URL 中（http://用户名:密码@主机:端口）</translation>
    </message>
    <message>
        <source>The proxy %1 asks for a user name and password</source>
        <translation>代理服务器 %1 要求提供用户名和密码</translation>
    </message>
</context>
<context>
    <name>framecast::ServerCheck</name>
    <message>
        <source>The server answered and asks for a login: it works.</source>
        <translation>服务器已响应并要求登录：连接正常。</translation>
    </message>
    <message>
        <source>The server answered without asking for a login; is this the API address?</source>
        <translation>服务器响应了但未要求登录；这是 API 地址吗？</translation>
    </message>
</context>
<context>
    <name>framecast::ServerConnection</name>
    <message>
        <source>%1 offers no sign-in through the browser</source>
        <translation>%1 不支持通过浏览器登录</translation>
    </message>
    <message>
        <source>%1 offers no sign-in with "%2" (it offers: %3)</source>
        <translation>%1 不支持使用“%2”登录（它支持：%3）</translation>
    </message>
</context>
<context>
    <name>framecast::Session</name>
    <message>
        <source>Choose a server first</source>
        <translation>请先选择服务器</translation>
    </message>
    <message>
        <source>Log in to %1</source>
        <translation>登录到 %1</translation>
    </message>
    <message>
        <source>Log in to %1 as %2</source>
        <translation>以 %2 身份登录到 %1</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>无法读取钥匙串：%1</translation>
    </message>
    <message>
        <source>Your saved login for %1 has expired; log in again</source>
        <translation>%1 保存的登录已过期；请重新登录</translation>
    </message>
    <message>
        <source>The job is still running; cancel it first</source>
        <translation>任务仍在进行；请先取消</translation>
    </message>
    <message>
        <source>Cannot delete %1</source>
        <translation>无法删除 %1</translation>
    </message>
    <message>
        <source>This build has no built-in demo server</source>
        <translation>此版本没有内置演示服务器</translation>
    </message>
</context>
<context>
    <name>framecast::ThumbnailCache</name>
    <message>
        <source>The video file is missing</source>
        <translation>视频文件不存在</translation>
    </message>
</context>
<context>
    <name>framecast::VideoDownload</name>
    <message>
        <source>Download cancelled</source>
        <translation>下载已取消</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Download failed: %1</source>
        <translation>下载失败：%1</translation>
    </message>
    <message>
        <source>The video is larger than 2 GiB</source>
        <translation>视频超过 2 GiB</translation>
    </message>
    <message>
        <source>Cannot write %1 (disk full?): %2</source>
        <translation>无法写入 %1（磁盘已满？）：%2</translation>
    </message>
    <message>
        <source>The server sent %1 instead of a video</source>
        <translation>服务器发送的是 %1 而不是视频</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>未标明类型的内容</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>The server redirected the download without saying where</source>
        <translation>服务器重定向了下载，但没有给出目标地址</translation>
    </message>
    <message>
        <source>Too many redirects (more than %1) for the video</source>
        <translation>视频的重定向次数过多（超过 %1 次）</translation>
    </message>
    <message>
        <source>The server redirected the video from https to an insecure address; refused</source>
        <translation>服务器把视频从 https 重定向到不安全的地址；已拒绝</translation>
    </message>
    <message>
        <source>The server resumed the video at the wrong place</source>
        <translation>服务器从错误的位置续传视频</translation>
    </message>
    <message>
        <source>the transfer ended after %1 of %2 bytes</source>
        <translation>传输在 %1 / %2 字节时中断</translation>
    </message>
    <message>
        <source>Download failed: %1 (%2 bytes kept; it resumes next time)</source>
        <translation>下载失败：%1（已保留 %2 字节；下次会继续下载）</translation>
    </message>
    <message>
        <source>Cannot save %1</source>
        <translation>无法保存 %1</translation>
    </message>
</context>
<context>
    <name>framecast::WebSocketChannel</name>
    <message>
        <source>No message for %1 s: the connection seems dead</source>
        <translation>%1 秒内没有收到消息：连接似乎已断开</translation>
    </message>
    <message>
        <source>The server did not answer the authentication within %1 s</source>
        <translation>服务器在 %1 秒内没有回应身份验证</translation>
    </message>
    <message>
        <source>ignored a binary WebSocket message</source>
        <translation>已忽略一条二进制 WebSocket 消息</translation>
    </message>
    <message>
        <source>Cannot connect: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <source>The server refused the token</source>
        <translation>服务器拒绝了令牌</translation>
    </message>
    <message>
        <source>A message was larger than %1 MiB; the connection was closed</source>
        <translation>有一条消息超过 %1 MiB，连接已关闭</translation>
    </message>
    <message>
        <source>The server closed the connection: %1</source>
        <translation>服务器关闭了连接：%1</translation>
    </message>
    <message>
        <source>Connection lost: %1</source>
        <translation>连接中断：%1</translation>
    </message>
    <message numerus="yes">
        <source>Gave up after %n attempt(s): %1</source>
        <translation>
            <numerusform>尝试 %n 次后放弃：%1</numerusform></translation>
    </message>
    <message>
        <source>The server no longer knows this job</source>
        <translation>服务器已不再记录此任务</translation>
    </message>
    <message>
        <source>ignored a WebSocket message that is not a JSON object (%1): %2</source>
        <translation>已忽略一条不是 JSON 对象的 WebSocket 消息（%1）：%2</translation>
    </message>
    <message>
        <source>not an object</source>
        <translation>不是对象</translation>
    </message>
    <message>
        <source>ignored an authSuccess for another request</source>
        <translation>已忽略属于另一个请求的 authSuccess</translation>
    </message>
    <message>
        <source>the server reported an error: %1 %2</source>
        <translation>服务器报告了错误：%1 %2</translation>
    </message>
    <message>
        <source>ignored a WebSocket message of unknown type "%1"</source>
        <translation>已忽略一条未知类型“%1”的 WebSocket 消息</translation>
    </message>
</context>
<context>
    <name>framecast::auth::BrowserSignIn</name>
    <message>
        <source>No answer from the browser within %1 min; the sign-in was stopped</source>
        <translation>浏览器在 %1 分钟内没有回应，登录已停止</translation>
    </message>
    <message>
        <source>No answer from the browser within %1 s; the sign-in was stopped</source>
        <translation>浏览器在 %1 秒内没有回应，登录已停止</translation>
    </message>
    <message>
        <source>The sign-in was cancelled</source>
        <translation>登录已取消</translation>
    </message>
    <message>
        <source>Cannot reach the sign-in provider %1: %2</source>
        <translation>无法连接登录提供方 %1：%2</translation>
    </message>
    <message>
        <source>The sign-in provider's configuration could not be read: %1</source>
        <translation>无法读取登录提供方的配置：%1</translation>
    </message>
    <message>
        <source>The sign-in provider's configuration names another issuer (%1, not %2)</source>
        <translation>登录提供方的配置指向另一个 issuer（%1，而不是 %2）</translation>
    </message>
    <message>
        <source>The sign-in provider's configuration has no usable authorization or token endpoint (https is required)</source>
        <translation>登录提供方的配置中没有可用的授权端点或令牌端点（必须使用 https）</translation>
    </message>
    <message>
        <source>The sign-in provider does not support PKCE with S256, which Framecast requires</source>
        <translation>登录提供方不支持 Framecast 所需的 PKCE（S256）</translation>
    </message>
    <message>
        <source>The sign-in provider's token endpoint answered: %1</source>
        <translation>登录提供方的令牌端点返回：%1</translation>
    </message>
    <message>
        <source>The sign-in provider's answer has no id_token (is "openid" among the scopes?)</source>
        <translation>登录提供方的回应中没有 id_token（权限范围中是否包含“openid”？）</translation>
    </message>
    <message>
        <source>The provider's id_token does not belong to this sign-in (its nonce does not match)</source>
        <translation>提供方的 id_token 不属于此次登录（nonce 不匹配）</translation>
    </message>
</context>
<context>
    <name>framecast::auth::LoopbackReceiver</name>
    <message>
        <source>Only a loopback address can receive the browser's answer, not %1</source>
        <translation>只有回环地址才能接收浏览器的回应，%1 不是回环地址</translation>
    </message>
    <message>
        <source>Cannot listen on %1 for the browser's answer: %2</source>
        <translation>无法在 %1 上监听浏览器的回应：%2</translation>
    </message>
    <message>
        <source>Request too large</source>
        <translation>请求过大</translation>
    </message>
    <message>
        <source>This address only takes the sign-in answer.</source>
        <translation>此地址只接收登录回应。</translation>
    </message>
    <message>
        <source>Bad request</source>
        <translation>请求无效</translation>
    </message>
    <message>
        <source>Method not allowed</source>
        <translation>不允许的请求方法</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>The browser's answer does not belong to this sign-in (its state does not match), so it was refused</source>
        <translation>浏览器的回应不属于此次登录（state 不匹配），已拒绝</translation>
    </message>
    <message>
        <source>The browser's answer does not say which provider sent it (no iss), so it was refused</source>
        <translation>浏览器的回应未注明来自哪个提供方（缺少 iss），已拒绝</translation>
    </message>
    <message>
        <source>The browser's answer comes from another provider (%1, not %2), so it was refused</source>
        <translation>浏览器的回应来自另一个提供方（%1，而不是 %2），已拒绝</translation>
    </message>
    <message>
        <source>The browser's answer has no authorization code</source>
        <translation>浏览器的回应中没有授权码</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>You can close this tab and go back to Framecast.</source>
        <translation>你可以关闭此标签页，返回 Framecast。</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>%1. Go back to Framecast to try again.</source>
        <translation>%1。请返回 Framecast 重试。</translation>
    </message>
</context>
<context>
    <name>framecast::demo::DemoBackend</name>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>无法在 %1:%2 上监听：%3</translation>
    </message>
    <message>
        <source>Cannot listen for WebSockets on port %1: %2</source>
        <translation>无法在端口 %1 上监听 WebSocket：%2</translation>
    </message>
</context>
<context>
    <name>framecast::demo::DemoJob</name>
    <message>
        <source>Cinematic shot: %1. Soft natural light, slow push-in, shallow depth of field, 24 fps.</source>
        <translation>电影感镜头：%1。柔和的自然光，缓慢推镜，浅景深，24 fps。</translation>
    </message>
    <message>
        <source>Generation failed at step %1: the model is overloaded</source>
        <translation>第 %1 步生成失败：模型负载过高</translation>
    </message>
    <message>
        <source>Rendering failed: %1</source>
        <translation>渲染失败：%1</translation>
    </message>
    <message>
        <source>Could not store the video</source>
        <translation>无法保存视频</translation>
    </message>
    <message>
        <source>Cancelled by the user</source>
        <translation>已被用户取消</translation>
    </message>
</context>
<context>
    <name>framecast::desktop::ColorSchemePortal</name>
    <message>
        <source>No D-Bus session bus</source>
        <translation>没有 D-Bus 会话总线</translation>
    </message>
    <message>
        <source>The portal's color-scheme is not a number</source>
        <translation>门户的 color-scheme 不是数字</translation>
    </message>
</context>
<context>
    <name>framecast::desktop::FreedesktopNotifier</name>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
</context>
<context>
    <name>framecast::headless</name>
    <message>
        <source>This build has no built-in demo server</source>
        <translation>此版本没有内置演示服务器</translation>
    </message>
    <message>
        <source>There is no saved server profile named "%1"</source>
        <translation>没有名为“%1”的已保存服务器配置</translation>
    </message>
    <message>
        <source>Insecure connection: %1 is reached over plain http; the token can be read on the network</source>
        <translation>不安全的连接：正以明文 http 访问 %1；令牌可能在网络上被读取</translation>
    </message>
    <message>
        <source>The environment variable %1 is empty or not set</source>
        <translation>环境变量 %1 为空或未设置</translation>
    </message>
    <message>
        <source>Cannot read the password from standard input</source>
        <translation>无法从标准输入读取密码</translation>
    </message>
    <message>
        <source>No password on standard input</source>
        <translation>标准输入中没有密码</translation>
    </message>
</context>
<context>
    <name>framecast::headless::HeadlessOutput</name>
    <message>
        <source>framecast: sign in with %1 in the browser that opened, or open %2</source>
        <translation>framecast: 请在已打开的浏览器中使用 %1 账号登录，或打开 %2</translation>
    </message>
    <message>
        <source>framecast: to sign in with %1, open %2</source>
        <translation>framecast: 要使用 %1 账号登录，请打开 %2</translation>
    </message>
    <message>
        <source>Nothing to resume</source>
        <translation>没有需要继续的任务</translation>
    </message>
    <message>
        <source>● connected (%1)</source>
        <translation>● 已连接（%1）</translation>
    </message>
    <message>
        <source>↻ reconnecting (attempt %1)%2</source>
        <translation>↻ 正在重连（第 %1 次）%2</translation>
    </message>
    <message>
        <source>  (late)</source>
        <translation>  （迟到）</translation>
    </message>
    <message>
        <source>✔ Saved %1 (%2)</source>
        <translation>✔ 已保存 %1（%2）</translation>
    </message>
</context>
<context>
    <name>framecast::headless::HeadlessRunner</name>
    <message>
        <source>Gave up after %1 s (--timeout)</source>
        <translation>%1 秒后放弃（--timeout）</translation>
    </message>
    <message>
        <source>The token was refused: %1</source>
        <translation>令牌被拒绝：%1</translation>
    </message>
    <message>
        <source>Login failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <source>Job %1</source>
        <translation>任务 %1</translation>
    </message>
    <message>
        <source>The server refused the token: %1</source>
        <translation>服务器拒绝了令牌：%1</translation>
    </message>
    <message>
        <source>The job was cancelled</source>
        <translation>任务已取消</translation>
    </message>
    <message>
        <source>The job failed</source>
        <translation>任务失败</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>Interrupted: cancelling job %1 on the server…</source>
        <translation>已中断：正在服务器上取消任务 %1…</translation>
    </message>
    <message>
        <source>Interrupted (the cancel was not confirmed)</source>
        <translation>已中断（取消未得到确认）</translation>
    </message>
    <message>
        <source>Interrupted: the job was cancelled on the server</source>
        <translation>已中断：任务已在服务器上取消</translation>
    </message>
    <message>
        <source>Interrupted; cancelling failed: %1</source>
        <translation>已中断；取消失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>Resuming %n job(s)</source>
        <translation>
            <numerusform>正在继续 %n 个任务</numerusform></translation>
    </message>
    <message>
        <source>The job history cannot be used: %1</source>
        <translation>无法使用任务历史：%1</translation>
    </message>
    <message>
        <source>Job %1 (picked up at step %2)</source>
        <translation>任务 %1（从第 %2 步接续）</translation>
    </message>
    <message>
        <source>Sign-in with %1 failed: %2</source>
        <translation>使用 %1 账号登录失败：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n queued job(s) not started: %1</source>
        <translation>
            <numerusform>%n 个排队任务未开始：%1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::headless::TerminalProgress</name>
    <message>
        <source>Uploading…</source>
        <translation>正在上传…</translation>
    </message>
    <message>
        <source>Waiting for the server…</source>
        <translation>正在等待服务器…</translation>
    </message>
</context>
<context>
    <name>framecast::sse::SseStream</name>
    <message>
        <source>The server refused the token (401): please log in again</source>
        <translation>服务器拒绝了令牌（401）：请重新登录</translation>
    </message>
    <message>
        <source>Access denied (403)</source>
        <translation>拒绝访问（403）</translation>
    </message>
    <message>
        <source>The server does not know this job (404)</source>
        <translation>服务器上没有此任务（404）</translation>
    </message>
    <message>
        <source>The server answered HTTP %1</source>
        <translation>服务器返回 HTTP %1</translation>
    </message>
    <message>
        <source>The server has no stream for this job (204)</source>
        <translation>服务器没有此任务的进度流（204）</translation>
    </message>
    <message>
        <source>No data for %1 s: the stream seems dead</source>
        <translation>%1 秒内没有收到数据：进度流似乎已断开</translation>
    </message>
    <message>
        <source>Connection lost: %1</source>
        <translation>连接中断：%1</translation>
    </message>
    <message>
        <source>The server ended the stream before the job finished</source>
        <translation>任务尚未完成，服务器就结束了进度流</translation>
    </message>
    <message>
        <source>Unexpected answer (HTTP %1)</source>
        <translation>意外的回应（HTTP %1）</translation>
    </message>
    <message numerus="yes">
        <source>Gave up after %n attempt(s): %1</source>
        <translation>
            <numerusform>尝试 %n 次后放弃：%1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::thumbnailer::FfmpegFrameGrabber</name>
    <message>
        <source>Out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>Not a video file that can be read (%1)</source>
        <translation>不是可读取的视频文件（%1）</translation>
    </message>
    <message>
        <source>The video file is damaged (%1)</source>
        <translation>视频文件已损坏（%1）</translation>
    </message>
    <message>
        <source>The file has no video that can be decoded</source>
        <translation>文件中没有可解码的视频</translation>
    </message>
    <message>
        <source>The video's codec cannot be set up</source>
        <translation>无法设置视频的编解码器</translation>
    </message>
    <message>
        <source>The video's codec cannot be opened (%1)</source>
        <translation>无法打开视频的编解码器（%1）</translation>
    </message>
    <message>
        <source>The video has no usable picture size</source>
        <translation>视频的画面尺寸不可用</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Decoding took too long</source>
        <translation>解码耗时过长</translation>
    </message>
    <message>
        <source>No frame could be decoded (%1)</source>
        <translation>无法解码任何一帧（%1）</translation>
    </message>
    <message>
        <source>No frame could be decoded</source>
        <translation>无法解码任何一帧</translation>
    </message>
</context>
<context>
    <name>framecast::ui::BrowserSignInPanel</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Waiting for the browser</source>
        <translation>正在等待浏览器</translation>
    </message>
    <message>
        <source>Cancel the sign-in in the browser</source>
        <translation>取消浏览器中的登录</translation>
    </message>
    <message>
        <source>Sign in with Google</source>
        <translation>使用 Google 账号登录</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>使用 %1 账号登录</translation>
    </message>
    <message>
        <source>Opens your web browser to sign in at %1</source>
        <translation>打开网页浏览器，在 %1 登录</translation>
    </message>
    <message>
        <source>⏳ Waiting for the browser… Finish signing in with %1 there; Framecast comes back by itself.</source>
        <translation>⏳ 正在等待浏览器… 请在浏览器中完成 %1 账号登录，Framecast 会自动回来。</translation>
    </message>
</context>
<context>
    <name>framecast::ui::ComposePanel</name>
    <message>
        <source>Choose image…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>&lt;b&gt;Describe your video&lt;/b&gt;</source>
        <translation>&lt;b&gt;描述你的视频&lt;/b&gt;</translation>
    </message>
    <message>
        <source>A paper boat drifting down a rainy street at dusk…</source>
        <translation>黄昏时分，一只纸船顺着下雨的街道漂流…</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Prompt length</source>
        <translation>提示词长度</translation>
    </message>
    <message>
        <source>&amp;Duration</source>
        <translation>时长(&amp;D)</translation>
    </message>
    <message>
        <source>4 seconds</source>
        <translation>4 秒</translation>
    </message>
    <message>
        <source>8 seconds</source>
        <translation>8 秒</translation>
    </message>
    <message>
        <source>12 seconds</source>
        <translation>12 秒</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>画幅(&amp;F)</translation>
    </message>
    <message>
        <source>Landscape 1280×720</source>
        <translation>横屏 1280×720</translation>
    </message>
    <message>
        <source>Portrait 720×1280</source>
        <translation>竖屏 720×1280</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>画幅</translation>
    </message>
    <message>
        <source>Sample image %1</source>
        <translation>示例图片 %1</translation>
    </message>
    <message>
        <source>Choose a reference image</source>
        <translation>选择参考图片</translation>
    </message>
    <message>
        <source>Reference image preview</source>
        <translation>参考图片预览</translation>
    </message>
    <message>
        <source>No image yet</source>
        <translation>尚未选择图片</translation>
    </message>
    <message>
        <source>Input problem</source>
        <translation>输入问题</translation>
    </message>
    <message>
        <source>Generate video</source>
        <translation>生成视频</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter)</source>
        <translation>生成（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Could not keep the pasted image in %1</source>
        <translation>无法将粘贴的图片保存到 %1</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp)</translation>
    </message>
    <message>
        <source>%1 / 2000</source>
        <translation>%1 / 2000</translation>
    </message>
    <message>
        <source>%1 / 2000 — at least 10 characters</source>
        <translation>%1 / 2000 — 至少 10 个字符</translation>
    </message>
    <message>
        <source>Choose a reference image first</source>
        <translation>请先选择参考图片</translation>
    </message>
    <message>
        <source>Reference image</source>
        <translation>参考图片</translation>
    </message>
    <message>
        <source>Choose one, drop one here, paste one, or try a sample:</source>
        <translation>选择、拖入或粘贴一张图片，或试试示例：</translation>
    </message>
    <message>
        <source>One prompt per &amp;line</source>
        <translation>每行一个提示词(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>变体数(&amp;V)</translation>
    </message>
    <message>
        <source>Variations of each prompt</source>
        <translation>每个提示词的变体数</translation>
    </message>
    <message>
        <source>How many videos to make of each prompt</source>
        <translation>每个提示词生成多少个视频</translation>
    </message>
    <message>
        <source>One prompt per line</source>
        <translation>每行一个提示词</translation>
    </message>
    <message>
        <source>Each line of the prompt becomes a job of its own; they start one after another</source>
        <translation>提示词的每一行各成一个任务；它们依次开始</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n prompt(s)</source>
        <translation>
            <numerusform>%n 个提示词</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Generate %n videos</source>
        <translation>
            <numerusform>生成 %n 个视频</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::ui::ConnectionDot</name>
    <message>
        <source>Connection status</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Connecting%1…</source>
        <translation>正在连接%1…</translation>
    </message>
    <message>
        <source>Connected%1 for %2 s</source>
        <translation>已连接%1，%2 秒</translation>
    </message>
    <message>
        <source>Reconnecting%1, attempt %2</source>
        <translation>正在重连%1，第 %2 次</translation>
    </message>
    <message>
        <source>Connection failed%1</source>
        <translation>连接失败%1</translation>
    </message>
    <message>
        <source>Finished%1</source>
        <translation>已结束%1</translation>
    </message>
    <message numerus="yes">
        <source>%n reconnect(s)</source>
        <translation>
            <numerusform>%n 次重连</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::ui::DesktopIntegration</name>
    <message>
        <source>Your video is ready</source>
        <translation>你的视频已生成</translation>
    </message>
    <message>
        <source>The video failed</source>
        <translation>视频生成失败</translation>
    </message>
</context>
<context>
    <name>framecast::ui::GalleryDelegate</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1×%2</source>
        <translation>%1×%2</translation>
    </message>
    <message>
        <source>(no prompt recorded)</source>
        <translation>（未记录提示词）</translation>
    </message>
    <message>
        <source>No preview: the video cannot be read</source>
        <translation>无法预览：无法读取视频</translation>
    </message>
    <message>
        <source>Loading preview…</source>
        <translation>正在加载预览…</translation>
    </message>
</context>
<context>
    <name>framecast::ui::GalleryView</name>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>Open in &amp;system player</source>
        <translation>用系统播放器打开(&amp;S)</translation>
    </message>
    <message>
        <source>Show in &amp;folder</source>
        <translation>在文件夹中显示(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Copy prompt</source>
        <translation>复制提示词(&amp;C)</translation>
    </message>
    <message>
        <source>Finished videos</source>
        <translation>已完成的视频</translation>
    </message>
    <message>
        <source>Preview of the selected video</source>
        <translation>所选视频的预览</translation>
    </message>
    <message>
        <source>Prompt of the selected video</source>
        <translation>所选视频的提示词</translation>
    </message>
    <message>
        <source>Length, size and date of the selected video</source>
        <translation>所选视频的时长、大小和日期</translation>
    </message>
    <message>
        <source>Play the selected video</source>
        <translation>播放所选视频</translation>
    </message>
    <message>
        <source>Open the selected video in the system's player</source>
        <translation>用系统播放器打开所选视频</translation>
    </message>
    <message>
        <source>Show the selected video in its folder</source>
        <translation>在文件夹中显示所选视频</translation>
    </message>
    <message>
        <source>Copy the selected video's prompt</source>
        <translation>复制所选视频的提示词</translation>
    </message>
    <message>
        <source>Copy prompt</source>
        <translation>复制提示词</translation>
    </message>
    <message>
        <source>No gallery</source>
        <translation>没有画廊</translation>
    </message>
    <message>
        <source>The job history is off, so finished videos are not listed here.</source>
        <translation>任务历史已关闭，因此这里不会列出已完成的视频。</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Log in to see the videos you made on this server.</source>
        <translation>登录后即可查看你在此服务器上制作的视频。</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>没有找到</translation>
    </message>
    <message>
        <source>No video's prompt contains “%1”. Clear the search to see them all.</source>
        <translation>没有视频的提示词包含“%1”。清除搜索即可查看全部视频。</translation>
    </message>
    <message>
        <source>No videos yet</source>
        <translation>还没有视频</translation>
    </message>
    <message>
        <source>Every video you finish on this server appears here, as a frame of the video with its prompt, length and date. Write a prompt, pick a reference image and press Generate.</source>
        <translation>你在此服务器上完成的每个视频都会显示在这里：视频中的一帧，以及它的提示词、时长和日期。撰写提示词，选择参考图片，然后点击“生成”。</translation>
    </message>
    <message>
        <source>&amp;Write a prompt</source>
        <translation>撰写提示词(&amp;W)</translation>
    </message>
    <message>
        <source>No preview: %1</source>
        <translation>无法预览：%1</translation>
    </message>
    <message>
        <source>Loading preview…</source>
        <translation>正在加载预览…</translation>
    </message>
    <message>
        <source>(no prompt recorded)</source>
        <translation>（未记录提示词）</translation>
    </message>
    <message>
        <source>What to do with the video</source>
        <translation>对视频的操作</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Open in system player</source>
        <translation>用系统播放器打开</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>No video decoder is available for thumbnails</source>
        <translation>没有可用于生成缩略图的视频解码器</translation>
    </message>
</context>
<context>
    <name>framecast::ui::HistoryView</name>
    <message>
        <source>&amp;Open video</source>
        <translation>打开视频(&amp;O)</translation>
    </message>
    <message>
        <source>Generate &amp;again</source>
        <translation>再次生成(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Search prompts</source>
        <translation>搜索提示词</translation>
    </message>
    <message>
        <source>Past jobs</source>
        <translation>历史任务</translation>
    </message>
    <message>
        <source>Open the selected job's video</source>
        <translation>打开所选任务的视频</translation>
    </message>
    <message>
        <source>Generate the selected job again</source>
        <translation>用相同参数再次生成</translation>
    </message>
    <message>
        <source>Delete the selected job and its video</source>
        <translation>删除所选任务及其视频</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The job history is off.</source>
        <translation>任务历史已关闭。</translation>
    </message>
    <message>
        <source>(no prompt recorded)</source>
        <translation>（未记录提示词）</translation>
    </message>
    <message>
        <source>Completed, video not saved yet</source>
        <translation>已完成，视频尚未保存</translation>
    </message>
    <message>
        <source>No job's prompt contains "%1".</source>
        <translation>没有任务的提示词包含“%1”。</translation>
    </message>
    <message>
        <source>Cancel the job before deleting it</source>
        <translation>请先取消任务再删除</translation>
    </message>
    <message>
        <source>Delete job — Framecast</source>
        <translation>删除任务 — Framecast</translation>
    </message>
    <message>
        <source>Delete "%1" from the history?</source>
        <translation>从历史中删除“%1”？</translation>
    </message>
    <message>
        <source>Delete "%1" from the history, and its video %2?</source>
        <translation>从历史中删除“%1”及其视频 %2？</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>已丢失</translation>
    </message>
    <message>
        <source>Jobs of this session are in the Jobs tab; they are not kept after Framecast closes.</source>
        <translation>本次的任务在“任务”标签页中；Framecast 关闭后不会保留。</translation>
    </message>
    <message>
        <source>No jobs yet</source>
        <translation>还没有任务</translation>
    </message>
    <message>
        <source>Every video you generate is kept here with its prompt, to play, generate again or delete. Write a prompt and press Generate (%1).</source>
        <translation>你生成的每个视频都会连同提示词保存在这里，可以播放、再次生成或删除。写下提示词后按 %1 即可生成。</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>没有找到</translation>
    </message>
    <message>
        <source>Search the history and the gallery by prompt</source>
        <translation>按提示词搜索历史和画廊</translation>
    </message>
</context>
<context>
    <name>framecast::ui::JobListWidget</name>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>No jobs yet</source>
        <translation>还没有任务</translation>
    </message>
    <message>
        <source>Each video you generate shows here with its progress.</source>
        <translation>你生成的每个视频都会连同进度显示在这里。</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>重试(&amp;R)</translation>
    </message>
    <message>
        <source>Generate &amp;again</source>
        <translation>再次生成(&amp;A)</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
</context>
<context>
    <name>framecast::ui::JobProgressView</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Timings</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Show step timings</source>
        <translation>显示各步骤耗时</translation>
    </message>
    <message>
        <source>Show how long each step took</source>
        <translation>显示每个步骤用了多长时间</translation>
    </message>
    <message>
        <source>Retry the job</source>
        <translation>重试任务</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>当前步骤</translation>
    </message>
    <message>
        <source>Stage %1</source>
        <translation>阶段 %1</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>ETA 59 min 59 s</source>
        <translation>预计 59 分 59 秒</translation>
    </message>
    <message>
        <source>Job log</source>
        <translation>任务日志</translation>
    </message>
    <message>
        <source>Rewritten prompt</source>
        <translation>改写后的提示词</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>✍️ %1</source>
        <translation>✍️ %1</translation>
    </message>
    <message>
        <source>⬇ Downloading the video… %1 of %2 MB</source>
        <translation>⬇ 正在下载视频… %1 / %2 MB</translation>
    </message>
    <message>
        <source>⬇ Downloading the video… %1 MB</source>
        <translation>⬇ 正在下载视频… %1 MB</translation>
    </message>
    <message>
        <source>No job selected</source>
        <translation>未选择任务</translation>
    </message>
    <message>
        <source>Waiting for the server…</source>
        <translation>正在等待服务器…</translation>
    </message>
    <message>
        <source>ETA %1 min %2 s</source>
        <translation>预计 %1 分 %2 秒</translation>
    </message>
    <message>
        <source>ETA %1 s</source>
        <translation>预计 %1 秒</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理建议</translation>
    </message>
    <message>
        <source>⛔ %1</source>
        <translation>⛔ %1</translation>
    </message>
    <message>
        <source>Refused — the job was not started</source>
        <translation>已被拒绝 — 任务未启动</translation>
    </message>
</context>
<context>
    <name>framecast::ui::LoginDialog</name>
    <message>
        <source>Username and password</source>
        <translation>用户名和密码</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>API 令牌</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Try the demo</source>
        <translation>试用演示</translation>
    </message>
    <message>
        <source>Add server…</source>
        <translation>添加服务器…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Log in — Framecast</source>
        <translation>登录 — Framecast</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Add a server</source>
        <translation>添加服务器</translation>
    </message>
    <message>
        <source>Edit the server</source>
        <translation>编辑服务器</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>服务器(&amp;S)</translation>
    </message>
    <message>
        <source>Log in with username and password</source>
        <translation>使用用户名和密码登录</translation>
    </message>
    <message>
        <source>Log in with an API token</source>
        <translation>使用 API 令牌登录</translation>
    </message>
    <message>
        <source>Log in with</source>
        <translation>登录方式</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Token</source>
        <translation>令牌(&amp;T)</translation>
    </message>
    <message>
        <source>Login problem</source>
        <translation>登录问题</translation>
    </message>
    <message>
        <source>Try the built-in demo server</source>
        <translation>试用内置演示服务器</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Paste your API token</source>
        <translation>请粘贴你的 API 令牌</translation>
    </message>
    <message>
        <source>Enter your username</source>
        <translation>请输入用户名</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the server</source>
        <translation>移除服务器</translation>
    </message>
    <message>
        <source>&amp;Remember my password</source>
        <translation>记住密码(&amp;R)</translation>
    </message>
    <message>
        <source>Remember the password in the keychain</source>
        <translation>在钥匙串中记住密码</translation>
    </message>
    <message>
        <source>The token is always kept in the system keychain; the password only if you tick this</source>
        <translation>令牌始终保存在系统钥匙串中；只有勾选此项才会保存密码</translation>
    </message>
    <message>
        <source>Where the login is kept</source>
        <translation>登录信息的保存位置</translation>
    </message>
    <message>
        <source>%1 offers no sign-in through the browser (any more); log in with a password</source>
        <translation>%1 不（再）支持通过浏览器登录；请使用密码登录</translation>
    </message>
    <message>
        <source>Cannot ask %1 how to sign in: %2</source>
        <translation>无法向 %1 查询登录方式：%2</translation>
    </message>
    <message>
        <source>Login notice</source>
        <translation>登录提示</translation>
    </message>
</context>
<context>
    <name>framecast::ui::MainWindow</name>
    <message>
        <source>Framecast</source>
        <translation>Framecast</translation>
    </message>
    <message>
        <source>&lt;b&gt;Framecast&lt;/b&gt;</source>
        <translation>&lt;b&gt;Framecast&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Account and credits</source>
        <translation>账户与积分</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>账户(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Log in…</source>
        <translation>登录(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Framecast</source>
        <translation>关于 Framecast(&amp;A)</translation>
    </message>
    <message>
        <source>About Framecast</source>
        <translation>关于 Framecast</translation>
    </message>
    <message>
        <source>Login failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <source>Your session ended (%1). Log in again; your jobs are kept.</source>
        <translation>会话已结束（%1）。请重新登录，你的任务会被保留。</translation>
    </message>
    <message>
        <source>Your session ended: %1</source>
        <translation>会话已结束：%1</translation>
    </message>
    <message>
        <source>🎉 Your video is ready.</source>
        <translation>🎉 你的视频已生成。</translation>
    </message>
    <message>
        <source>The built-in demo server could not start: %1</source>
        <translation>内置演示服务器无法启动：%1</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Framecast %1&lt;/h3&gt;&lt;p&gt;Generate AI videos and watch them being made.&lt;/p&gt;&lt;p&gt;Built with Qt %2 and FFmpeg. Licensed under the GNU GPL, version 3 or later.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Framecast %1&lt;/h3&gt;&lt;p&gt;生成 AI 视频，并实时查看生成过程。&lt;/p&gt;&lt;p&gt;基于 Qt %2 和 FFmpeg 构建。以 GNU GPL 第 3 版或更高版本授权。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 credits</source>
        <translation>%1 · %2 · %3 积分</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Connection security warning</source>
        <translation>连接安全警告</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>历史(&amp;H)</translation>
    </message>
    <message>
        <source>Jobs and history</source>
        <translation>任务与历史</translation>
    </message>
    <message>
        <source>Jobs or history</source>
        <translation>任务或历史</translation>
    </message>
    <message>
        <source>Keychain status</source>
        <translation>钥匙串状态</translation>
    </message>
    <message>
        <source>Lost the connection to the job's progress: %1</source>
        <translation>与任务进度的连接已中断：%1</translation>
    </message>
    <message>
        <source>A paper boat drifting down a rainy street at dusk, neon reflections</source>
        <translation>黄昏时分，一只纸船顺着下雨的街道漂流，霓虹灯的倒影闪烁</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Logins are not kept: you will log in again next time.</source>
        <translation>不会保存登录信息：下次需要重新登录。</translation>
    </message>
    <message>
        <source>No keychain available: your login is kept in memory until Framecast closes.</source>
        <translation>没有可用的钥匙串：登录信息只保存在内存中，直到 Framecast 关闭。</translation>
    </message>
    <message>
        <source>No keychain available (%1): your login is kept in memory until Framecast closes.</source>
        <translation>没有可用的钥匙串（%1）：登录信息只保存在内存中，直到 Framecast 关闭。</translation>
    </message>
    <message>
        <source>⚠ Insecure connection: %1 is reached over plain http</source>
        <translation>⚠ 不安全的连接：正以明文 http 访问 %1</translation>
    </message>
    <message>
        <source>Your token and your videos travel unencrypted; anyone on the network can read them.</source>
        <translation>你的令牌和视频未加密传输，网络上的任何人都能读取。</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>Logged out of %1. The login kept for it was forgotten.</source>
        <translation>已退出 %1 的登录，保存的登录信息已清除。</translation>
    </message>
    <message>
        <source>Write a prompt and press Generate</source>
        <translation>写下提示词，然后按“生成”</translation>
    </message>
    <message>
        <source>The job's progress and its finished video appear here. %1 generates from the prompt.</source>
        <translation>任务的进度和生成好的视频会显示在这里。在提示词中按 %1 即可生成。</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Gallery</source>
        <translation>画廊(&amp;G)</translation>
    </message>
</context>
<context>
    <name>framecast::ui::ProfileEditor</name>
    <message>
        <source>Also send the token as ?token= on progress streams</source>
        <translation>在进度流中同时以 ?token= 发送令牌</translation>
    </message>
    <message>
        <source>Server — Framecast</source>
        <translation>服务器 — Framecast</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>服务器名称</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Progress dialect</source>
        <translation>进度协议</translation>
    </message>
    <message>
        <source>WebSocket address</source>
        <translation>WebSocket 地址</translation>
    </message>
    <message>
        <source>ws(s)://host:port/ws (default: from the server address)</source>
        <translation>ws(s)://主机:端口/ws（默认由服务器地址推出）</translation>
    </message>
    <message>
        <source>Token in query</source>
        <translation>令牌放入查询参数</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>地址(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Progress</source>
        <translation>进度(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;WebSocket</source>
        <translation>&amp;WebSocket</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Test the connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>连接测试结果</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Allow plain http:// to this server (insecure: the token can be read on the network)</source>
        <translation>允许以明文 http:// 连接此服务器（不安全：令牌可能在网络上被读取）</translation>
    </message>
    <message>
        <source>Allow insecure http</source>
        <translation>允许不安全的 http</translation>
    </message>
    <message>
        <source>Username and password</source>
        <translation>用户名和密码</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>API 令牌</translation>
    </message>
    <message>
        <source>How users log in</source>
        <translation>用户的登录方式</translation>
    </message>
    <message>
        <source>Log &amp;in with</source>
        <translation>登录方式(&amp;I)</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <source>none: only the system's certificate authorities</source>
        <translation>无：只信任系统的证书颁发机构</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Choose a CA certificate file</source>
        <translation>选择 CA 证书文件</translation>
    </message>
    <message>
        <source>&amp;CA certificate</source>
        <translation>CA 证书(&amp;C)</translation>
    </message>
    <message>
        <source>CA certificate details</source>
        <translation>CA 证书详情</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>system, none, or http://host:port</source>
        <translation>system、none 或 http://主机:端口</translation>
    </message>
    <message>
        <source>system: the desktop's proxy settings and http_proxy/https_proxy/no_proxy</source>
        <translation>system：桌面的代理设置及 http_proxy/https_proxy/no_proxy</translation>
    </message>
    <message>
        <source>Pro&amp;xy</source>
        <translation>代理(&amp;X)</translation>
    </message>
    <message>
        <source>CA certificate — Framecast</source>
        <translation>CA 证书 — Framecast</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM 证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Browser (Google, OpenID Connect)</source>
        <translation>浏览器（Google、OpenID Connect）</translation>
    </message>
</context>
<context>
    <name>framecast::ui::ProxyCredentialsDialog</name>
    <message>
        <source>Remember in the keychain</source>
        <translation>在钥匙串中记住</translation>
    </message>
    <message>
        <source>Proxy login — Framecast</source>
        <translation>代理登录 — Framecast</translation>
    </message>
    <message>
        <source>The proxy %1 asks for a user name and password.</source>
        <translation>代理服务器 %1 要求提供用户名和密码。</translation>
    </message>
    <message>
        <source>Proxy login message</source>
        <translation>代理登录提示</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>代理用户名</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>代理密码</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
    <message>
        <source>Remember the proxy login</source>
        <translation>记住代理登录信息</translation>
    </message>
    <message>
        <source>No keychain here: the proxy login lasts until Framecast closes</source>
        <translation>没有可用的钥匙串：代理登录信息只保留到 Framecast 关闭</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>Use this proxy login</source>
        <translation>使用此代理登录信息</translation>
    </message>
</context>
<context>
    <name>framecast::ui::QueueView</name>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Waiting for a login</source>
        <translation>等待登录</translation>
    </message>
    <message>
        <source>Waiting for a free slot</source>
        <translation>等待空闲名额</translation>
    </message>
    <message>
        <source>Waiting for credits</source>
        <translation>等待积分</translation>
    </message>
    <message>
        <source>Checking the credits</source>
        <translation>正在核对积分</translation>
    </message>
    <message>
        <source>Server busy</source>
        <translation>服务器繁忙</translation>
    </message>
    <message>
        <source>&amp;Retry now</source>
        <translation>立即重试(&amp;R)</translation>
    </message>
    <message>
        <source>Pa&amp;use</source>
        <translation>暂停(&amp;U)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Why the queued jobs wait</source>
        <translation>排队任务等待的原因</translation>
    </message>
    <message>
        <source>Queue notice</source>
        <translation>队列提示</translation>
    </message>
    <message>
        <source>Queued jobs</source>
        <translation>排队的任务</translation>
    </message>
    <message>
        <source>Retry the first queued job now</source>
        <translation>立即重试队列中的第一个任务</translation>
    </message>
    <message>
        <source>Send the first waiting job now; the server decides</source>
        <translation>立即发送第一个等待中的任务；由服务器决定</translation>
    </message>
    <message>
        <source>Pause or resume the queue</source>
        <translation>暂停或继续队列</translation>
    </message>
    <message>
        <source>Remove the selected queued job</source>
        <translation>移除选中的排队任务</translation>
    </message>
    <message>
        <source>Remove (Delete); Alt+Up and Alt+Down move it</source>
        <translation>移除（Delete）；Alt+上/下 移动它</translation>
    </message>
    <message>
        <source>Remove every waiting job from the queue</source>
        <translation>从队列中移除所有等待中的任务</translation>
    </message>
    <message>
        <source>Quit Framecast?</source>
        <translation>退出 Framecast？</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s) still wait in the queue and will not be started. Quit anyway?</source>
        <translation>
            <numerusform>队列中仍有 %n 个任务在等待，它们将不会开始。仍要退出吗？</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Queue&lt;/b&gt; · %n waiting</source>
        <translation>
            <numerusform>&lt;b&gt;队列&lt;/b&gt; · %n 个等待中</numerusform></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>#%1 · %2</source>
        <translation>#%1 · %2</translation>
    </message>
    <message>
        <source>%1

The server said: %2</source>
        <translation>%1

服务器回复：%2</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
</context>
<context>
    <name>framecast::ui::TrayNotifier</name>
    <message>
        <source>Framecast</source>
        <translation>Framecast</translation>
    </message>
</context>
<context>
    <name>framecast::ui::VideoPlayer</name>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>播放或暂停</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Save the video as</source>
        <translation>将视频另存为</translation>
    </message>
    <message>
        <source>Show the video in its folder</source>
        <translation>在文件夹中显示视频</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Save video</source>
        <translation>保存视频</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Could not save %1</source>
        <translation>无法保存 %1</translation>
    </message>
</context>
</TS>
