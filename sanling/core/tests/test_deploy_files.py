"""The files of deploy/ keep the promises the application keeps: nginx logs no query string (a phone searched
for, an unmask reason), as the application's own request log does not (docs/operations.md, Logs)."""

import re
from pathlib import Path

NGINX = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf"
# What may carry a query string: the request line, the URI as sent, the arguments, the referring page.
QUERY_VARIABLES = (
    "$request ",
    '$request"',
    "$request_uri",
    "$args",
    "$query_string",
    "$arg_",
    "$http_referer",
)


def test_the_nginx_access_log_keeps_no_query_string():
    text = re.sub(r"#.*", "", NGINX.read_text())
    formats = dict(re.findall(r"log_format\s+(\w+)\s+(.*?);", text, flags=re.S))
    used = re.findall(r"access_log\s+\S+\s+(\w+)", text)
    assert used, "no access_log: nginx would write its 'combined' format, query strings included"
    for name in used:
        assert name in formats
        assert not [variable for variable in QUERY_VARIABLES if variable in formats[name]]
