#!/usr/bin/env python3
"""Fills framecast_en.ts: English has no translations, only the singular and
plural of the "%n …(s)" strings. Regenerate the file and fill it with
    /usr/lib/qt6/bin/lupdate -pluralonly -no-obsolete -locations none app ui \
        -ts resources/translations/framecast_en.ts
    python3 resources/translations/fill_en.py resources/translations/framecast_en.ts
A source not listed below is left unfinished (shown as written) and named."""
import re
import sys
import xml.etree.ElementTree as ET

# source: (one, many)
FORMS = {
    "%n queued job(s) not started: %1": ("%n queued job not started: %1", "%n queued jobs not started: %1"),
    "Gave up after %n attempt(s): %1": ("Gave up after %n attempt: %1", "Gave up after %n attempts: %1"),
    "Resuming %n job(s)": ("Resuming %n job", "Resuming %n jobs"),
    "%n prompt(s)": ("%n prompt", "%n prompts"),
    "Generate %n videos": ("Generate %n video", "Generate %n videos"),
    "%n reconnect(s)": ("%n reconnect", "%n reconnects"),
    "%n job(s) still wait in the queue and will not be started. Quit anyway?": (
        "%n job still waits in the queue and will not be started. Quit anyway?",
        "%n jobs still wait in the queue and will not be started. Quit anyway?"),
    "<b>Queue</b> · %n waiting": ("<b>Queue</b> · %n waiting", "<b>Queue</b> · %n waiting"),
}

path = sys.argv[1]
tree = ET.parse(path)
missing = []
for message in tree.getroot().iter("message"):
    source = message.findtext("source")
    translation = message.find("translation")
    if source not in FORMS:
        missing.append(source)
        continue
    for child in list(translation):
        translation.remove(child)
    for form in FORMS[source]:
        ET.SubElement(translation, "numerusform").text = form
    translation.attrib.pop("type", None)
with open(path, "wb") as out:
    out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(out, encoding="utf-8", xml_declaration=False)
    out.write(b"\n")
for source in missing:
    print("no English forms for:", source, file=sys.stderr)
sys.exit(1 if missing else 0)
