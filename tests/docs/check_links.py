#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that the documentation is self-contained in the repository.

Usage: check_links.py [REPO_ROOT]     (default: two folders above this script)
       check_links.py --self-test

Scans README.md and docs/*.md for Markdown links and images (inline, reference definitions,
autolinks, bare http(s) URLs, and src/href attributes of inline HTML), outside fenced code blocks
and inline code, and fails (exit code 1, one line per problem: file:line: link: reason) for
  - a link that leaves the repository (a relative path resolving outside REPO_ROOT),
  - an absolute filesystem path, or a scheme other than http(s) (file:, mailto:, ...),
  - a relative link to a file or folder that does not exist,
  - an anchor (#...) that names no heading (or HTML id/name) of the file it points into,
  - an http(s) URL that is not in ALLOWED_URLS.
"""

import os
import re
import sys
import tempfile
import unicodedata
from urllib.parse import unquote

# External links the documentation may contain. Keep it short: each entry is a page that the
# repository cannot hold itself.
ALLOWED_URLS = {
    # The Go library that memlog ports (docs/performance.md compares against it).
    "https://github.com/embano1/memlog",
}

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
BARE_URL = re.compile(r"(?<![(<\"'=\w])https?://[^\s<>()\[\]`\"']+")
HTML_ATTRIBUTE = re.compile(r"\b(?:src|href)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
HTML_ANCHOR = re.compile(r"<[^>]*\b(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def blank_inline_code(line):
    """The line with inline code spans replaced by spaces (columns kept)."""
    return INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


def prose_lines(text):
    """(line number, line) of the lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                continue
            yield number, line
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                and not line.strip()[len(match.group(1)):].strip():
            fence = None


def inline_targets(line):
    """Targets of inline links and images: what follows each '](' up to its closing ')'."""
    targets = []
    start = 0
    while True:
        at = line.find("](", start)
        if at < 0:
            return targets
        i = at + 2
        while i < len(line) and line[i] == " ":
            i += 1
        if i < len(line) and line[i] == "<":
            end = line.find(">", i)
            if end < 0:
                start = i
                continue
            targets.append(line[i + 1:end])
            start = end + 1
            continue
        depth, j = 0, i
        while j < len(line):
            c = line[j]
            if c == "\\" and j + 1 < len(line):
                j += 2
                continue
            if c.isspace():
                break
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        targets.append(line[i:j])
        start = j


def links_in(text):
    """(line number, target) of every link of a Markdown text."""
    for number, raw in prose_lines(text):
        line = blank_inline_code(raw)
        found = []
        definition = REFERENCE_DEFINITION.match(line)
        if definition:
            found.append(definition.group(1).strip("<>"))
        found += inline_targets(line)
        found += [m.group(1) for m in AUTOLINK.finditer(line)]
        found += [m.group(1) or m.group(2) for m in HTML_ATTRIBUTE.finditer(line)]
        # A bare URL in prose is a link too (GitHub links it); skip those already found above.
        rest = AUTOLINK.sub(" ", line)
        rest = re.sub(r"\]\([^)]*\)", " ", rest)
        rest = HTML_ATTRIBUTE.sub(" ", rest)
        found += [m.group(0).rstrip(".,;:!?") for m in BARE_URL.finditer(rest)]
        for target in found:
            yield number, target


def heading_text(markdown):
    """The text a heading renders as: code spans, links and emphasis reduced to their text."""
    text = re.sub(r"(`+)(.+?)\1", r"\2", markdown)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|\*|(?<!\w)_)(.+?)\1", r"\2", text)
    return text


def slug(text):
    """GitHub's anchor for a heading text: lower case, punctuation dropped, spaces to '-'."""
    kept = []
    for c in text.strip().lower():
        category = unicodedata.category(c)
        if c in " -_" or category[0] in "LNM" or category == "Pc":
            kept.append(c)
    return "".join(kept).replace(" ", "-")


_anchor_cache = {}


def anchors_of(path):
    """Every anchor a Markdown file offers: its headings' slugs (duplicates numbered as GitHub
    does) and the ids and names of its HTML elements."""
    if path not in _anchor_cache:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        anchors, seen = set(), {}
        for _, line in prose_lines(text):
            heading = HEADING.match(line)
            if heading:
                base = slug(heading_text(heading.group(2)))
                count = seen.get(base, 0)
                seen[base] = count + 1
                anchors.add(base if count == 0 else f"{base}-{count}")
            for m in HTML_ANCHOR.finditer(line):
                anchors.add(m.group(1) or m.group(2))
        _anchor_cache[path] = anchors
    return _anchor_cache[path]


def problem_with(target, source, root):
    """Why `target`, linked from the file `source`, is not allowed; None when it is fine."""
    if not target:
        return "empty link"
    if target.startswith(("http://", "https://")):
        if target in ALLOWED_URLS:
            return None
        return "external URL not in ALLOWED_URLS of tests/docs/check_links.py"
    if target.startswith(("/", "\\", "~")):
        return "absolute path: link to files inside the repository with a relative path"
    if SCHEME.match(target):
        return "leaves the repository (scheme '%s')" % target.split(":", 1)[0]

    path, _, anchor = target.partition("#")
    path = unquote(path.split("?", 1)[0])
    if not path:  # an anchor in the same file
        resolved = source
    else:
        resolved = os.path.normpath(os.path.join(os.path.dirname(source), path))
        real_root = os.path.realpath(root)
        if os.path.commonpath([os.path.realpath(resolved), real_root]) != real_root:
            return "leaves the repository"
        if not os.path.exists(resolved):
            return "no such file or folder: %s" % os.path.relpath(resolved, root)
    if anchor and resolved.endswith(".md") and os.path.isfile(resolved):
        if unquote(anchor) not in anchors_of(resolved):
            return "no heading for anchor '#%s' in %s" % (anchor, os.path.relpath(resolved, root))
    return None


def documents(root):
    """README.md and docs/*.md, as paths."""
    found = [os.path.join(root, "README.md")]
    docs = os.path.join(root, "docs")
    if os.path.isdir(docs):
        found += sorted(os.path.join(docs, name) for name in os.listdir(docs) if name.endswith(".md"))
    return [path for path in found if os.path.isfile(path)]


def check(root):
    """The problems of every document under `root`, as 'file:line: link: reason' lines."""
    root = os.path.abspath(root)
    problems = []
    for source in documents(root):
        with open(source, encoding="utf-8") as f:
            text = f.read()
        for number, target in links_in(text):
            reason = problem_with(target, source, root)
            if reason:
                problems.append("%s:%d: %s: %s" % (os.path.relpath(source, root), number, target, reason))
    return problems


def self_test():
    """Runs the checker on a small repository made up here: every kind of bad link is found,
    and nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "repo")
        os.makedirs(os.path.join(root, "docs"))
        os.makedirs(os.path.join(root, "examples"))
        with open(os.path.join(tmp, "outside.md"), "w") as f:
            f.write("# Outside\n")
        with open(os.path.join(root, "README.md"), "w") as f:
            f.write(
                "# Title\n\n## Second part\n\n"
                "[ok file](docs/api.md) [ok dir](examples/) [ok anchor](#second-part)\n"
                "![ok image](docs/api.md) [ok deep anchor](docs/api.md#errors-errc-result)\n"
                "`[in code](missing.md)`\n"
                "```\n[in a fence](missing.md)\n```\n"
                "[allowed](https://github.com/embano1/memlog)\n"
                "[bad missing](docs/missing.md)\n"             # line 12
                "[bad escape](../outside.md)\n"                # line 13
                "[bad absolute](/etc/passwd)\n"                # line 14
                "[bad url](https://example.com/page)\n"        # line 15
                "[bad anchor](#no-such-heading)\n"             # line 16
                "![bad image](docs/missing.png)\n"             # line 17
                "see https://example.org/bare for more\n"      # line 18
                "[ref]: ../outside.md\n"                       # line 19
                "[bad scheme](file:///etc/passwd)\n")          # line 20
        with open(os.path.join(root, "docs", "api.md"), "w") as f:
            f.write("# API\n\n## Errors: `Errc`, `Result`\n\n[back](../README.md#title) [up](../examples/)\n"
                    "[bad deep anchor](../README.md#nothing)\n")  # line 6
        problems = check(root)
        expected = {("README.md", line) for line in range(12, 21)} | {(os.path.join("docs", "api.md"), 6)}
        got = {(p.split(":")[0], int(p.split(":")[1])) for p in problems}
        if got != expected:
            print("check_links self-test FAILED", file=sys.stderr)
            print("  missed: %s" % sorted(expected - got), file=sys.stderr)
            print("  wrongly flagged: %s" % sorted(got - expected), file=sys.stderr)
            for p in problems:
                print("  " + p, file=sys.stderr)
            return 1
    print("check_links self-test: all %d bad links found, no good link flagged" % len(expected))
    return 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    if not os.path.isfile(os.path.join(root, "README.md")):
        print("check_links: no README.md in %s" % root, file=sys.stderr)
        return 2
    problems = check(root)
    for p in problems:
        print(p, file=sys.stderr)
    checked = ", ".join(os.path.relpath(d, root) for d in documents(root))
    if problems:
        print("check_links: %d bad link(s) in %s" % (len(problems), checked), file=sys.stderr)
        return 1
    print("check_links: every link in %s stays in the repository and exists" % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
