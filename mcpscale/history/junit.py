"""Gates as a JUnit XML report, so CI systems show each gate as a test case natively."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from mcpscale.assess.thresholds import GateCheck


def junit_xml(suite: str, checks: Sequence[GateCheck]) -> str:
    """One <testcase> per gate; a failed gate carries its message as a <failure>.

    No timestamps or durations beyond time="0", so the same gates give the same file.
    """
    failures = sum(1 for check in checks if not check.passed)
    attributes = {
        "name": suite,
        "tests": str(len(checks)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    }
    suites = ET.Element("testsuites", attributes)
    testsuite = ET.SubElement(suites, "testsuite", attributes)
    for check in checks:
        case = ET.SubElement(
            testsuite, "testcase", {"classname": suite, "name": check.name, "time": "0"}
        )
        if check.passed:
            ET.SubElement(case, "system-out").text = check.message
        else:
            failure = ET.SubElement(case, "failure", {"message": check.message, "type": "gate"})
            failure.text = check.message
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
