<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>framecast::JobQueue</name>
    <message numerus="yes">
        <source>%n queued job(s) not started: %1</source>
        <translation>
            <numerusform>%n queued job not started: %1</numerusform><numerusform>%n queued jobs not started: %1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::WebSocketChannel</name>
    <message numerus="yes">
        <source>Gave up after %n attempt(s): %1</source>
        <translation>
            <numerusform>Gave up after %n attempt: %1</numerusform><numerusform>Gave up after %n attempts: %1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::headless::HeadlessRunner</name>
    <message numerus="yes">
        <source>Resuming %n job(s)</source>
        <translation>
            <numerusform>Resuming %n job</numerusform><numerusform>Resuming %n jobs</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n queued job(s) not started: %1</source>
        <translation>
            <numerusform>%n queued job not started: %1</numerusform><numerusform>%n queued jobs not started: %1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::sse::SseStream</name>
    <message numerus="yes">
        <source>Gave up after %n attempt(s): %1</source>
        <translation>
            <numerusform>Gave up after %n attempt: %1</numerusform><numerusform>Gave up after %n attempts: %1</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::ui::ComposePanel</name>
    <message numerus="yes">
        <source>%n prompt(s)</source>
        <translation>
            <numerusform>%n prompt</numerusform><numerusform>%n prompts</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Generate %n videos</source>
        <translation>
            <numerusform>Generate %n video</numerusform><numerusform>Generate %n videos</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::ui::ConnectionDot</name>
    <message numerus="yes">
        <source>%n reconnect(s)</source>
        <translation>
            <numerusform>%n reconnect</numerusform><numerusform>%n reconnects</numerusform></translation>
    </message>
</context>
<context>
    <name>framecast::ui::QueueView</name>
    <message numerus="yes">
        <source>%n job(s) still wait in the queue and will not be started. Quit anyway?</source>
        <translation>
            <numerusform>%n job still waits in the queue and will not be started. Quit anyway?</numerusform><numerusform>%n jobs still wait in the queue and will not be started. Quit anyway?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Queue&lt;/b&gt; · %n waiting</source>
        <translation>
            <numerusform>&lt;b&gt;Queue&lt;/b&gt; · %n waiting</numerusform><numerusform>&lt;b&gt;Queue&lt;/b&gt; · %n waiting</numerusform></translation>
    </message>
</context>
</TS>
