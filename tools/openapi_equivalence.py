#!/usr/bin/env python3
r'''Checks that two versions of the OpenAPI document in Sources/PaylaterAPI/OpenAPIDocument.swift mean the same.

Usage: tools/openapi_equivalence.py [--base REV] [--new REV]
  --base REV  the old document: the file as it is at REV (default: main)
  --new REV   the new document: the file as it is at REV (default: the file in the working tree)

Each document is the Swift raw string literal between `#"""` and `"""#`, read as Swift reads it: no escapes
processed (the script refuses a `\#` escape rather than guess), and the closing delimiter's indentation removed
from every line. Both are parsed as JSON, then every local `$ref` is replaced by what it points at, recursively,
except the references whose target the old document already referenced (shared and recursive schemas such as
`#/components/schemas/Money`, the problem responses): those stay references on both sides and their targets are
compared as components. The two resolved documents must be equal as JSON values, apart from components that only
the new document has, which must each be referenced (they have been inlined wherever they are used).
Exits 0 and prints a summary when they are equal; exits 1 and prints the first differences when not.
'''
import argparse
import json
import pathlib
import subprocess
import sys

SOURCE = "Sources/PaylaterAPI/OpenAPIDocument.swift"
OPEN, CLOSE = '#"""', '"""#'
DIFFERENCES_SHOWN_MAXIMUM = 20


def swift_raw_literal(source: str) -> str:
    """The value of the one multi-line raw string `#\"\"\"...\"\"\"#` in source, as Swift reads it."""
    start = source.index(OPEN) + len(OPEN)
    end = source.index(CLOSE, start)
    assert source.count(OPEN) == 1, "one raw string literal"
    newline = source.index("\n", start)
    assert source[start:newline].strip() == "", "the literal's content starts on the line after its delimiter"
    lines = source[newline + 1:end].split("\n")
    indentation = lines.pop()  # the closing delimiter's line: only its indentation
    assert indentation.strip() == "", "the closing delimiter stands on its own line"
    text_lines = []
    for number, line in enumerate(lines):
        if line.strip() == "":
            text_lines.append("")  # Swift allows a blank line shorter than the indentation
            continue
        assert line.startswith(indentation), f"line {number + 1} of the literal is indented as its delimiter"
        text_lines.append(line[len(indentation):])
    text = "\n".join(text_lines)
    assert "\\#" not in text, "an escape in the raw string: this script does not process escapes"
    return text


def document(revision: str | None, root: pathlib.Path) -> dict:
    if revision is None:
        source = (root / SOURCE).read_text(encoding="utf-8")
    else:
        source = subprocess.run(["git", "-C", str(root), "show", f"{revision}:{SOURCE}"],
                                check=True, capture_output=True, text=True).stdout
    return json.loads(swift_raw_literal(source))


def references(value, found: list[str]) -> list[str]:
    if isinstance(value, dict):
        if isinstance(value.get("$ref"), str):
            found.append(value["$ref"])
        for item in value.values():
            references(item, found)
    elif isinstance(value, list):
        for item in value:
            references(item, found)
    return found


def pointer_target(doc: dict, reference: str):
    assert reference.startswith("#/"), f"{reference} is a local reference"
    node = doc
    for part in reference[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def resolved(value, doc: dict, kept: set[str], resolving: tuple[str, ...] = ()):
    """value with every $ref outside kept replaced by its target, recursively; a cycle is an error."""
    if isinstance(value, dict):
        reference = value.get("$ref")
        if isinstance(reference, str) and reference not in kept:
            assert len(value) == 1, f"{reference} has siblings {sorted(value)}: this script compares pure references"
            assert reference not in resolving, f"{reference} refers to itself through {resolving}"
            return resolved(pointer_target(doc, reference), doc, kept, resolving + (reference,))
        return {key: resolved(item, doc, kept, resolving) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item, doc, kept, resolving) for item in value]
    return value


def differences(old, new, where: str, found: list[str]) -> list[str]:
    if len(found) >= DIFFERENCES_SHOWN_MAXIMUM:
        return found
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            if key not in new:
                found.append(f"{where}/{key}: only in the old document")
            elif key not in old:
                found.append(f"{where}/{key}: only in the new document")
            else:
                differences(old[key], new[key], f"{where}/{key}", found)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new)):
            differences(a, b, f"{where}/{index}", found)
    elif old != new or type(old) is not type(new):
        found.append(f"{where}: old {json.dumps(old)[:200]} != new {json.dumps(new)[:200]}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="main")
    parser.add_argument("--new", default=None)
    arguments = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent
    old, new = document(arguments.base, root), document(arguments.new, root)

    old_references = references(old, [])
    new_references = references(new, [])
    kept = set(old_references)
    for reference in sorted(set(old_references) | set(new_references)):
        pointer_target(new if reference in new_references else old, reference)  # every reference resolves

    added = []  # components only the new document has
    for section, entries in new.get("components", {}).items():
        for name in entries:
            if name not in old.get("components", {}).get(section, {}):
                reference = f"#/components/{section}/{name}"
                assert reference not in kept, f"{reference} is new but the old document referenced it"
                uses = new_references.count(reference)
                assert uses > 0, f"{reference} is added but nothing refers to it"
                added.append((reference, uses))
    old_resolved = resolved(old, old, kept)
    new_resolved = resolved(new, new, kept)
    for reference, _ in added:
        section, name = reference.split("/")[2:]
        del new_resolved["components"][section][name]
        if not new_resolved["components"][section] and section not in old.get("components", {}):
            del new_resolved["components"][section]

    found = differences(old_resolved, new_resolved, "#", [])
    print(f"old ({arguments.base}): {len(old_references)} references to {len(kept)} targets, kept as references")
    print(f"new ({arguments.new or 'working tree'}): {len(new_references)} references to "
          f"{len(set(new_references))} targets; {len(added)} added components, each inlined where used:")
    for reference, uses in added:
        print(f"  {uses:3d} × {reference}")
    if found:
        print(f"NOT EQUIVALENT: {len(found)} difference(s) shown:")
        for line in found:
            print(f"  {line}")
        return 1
    assert old_resolved == new_resolved
    print(f"EQUIVALENT: with the added components inlined, the documents are equal as JSON values "
          f"({len(old['paths'])} paths, {sum(len(e) for e in old.get('components', {}).values())} old components)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
