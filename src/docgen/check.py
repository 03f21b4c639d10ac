"""Check every tag of a DOCX template against the declared shape of its context, before rendering.

Why: a misspelled field or a tag that Word mangled should fail in review, with the template,
the paragraph and a suggestion, not in the middle of a batch or (worse) as a blank in a contract.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import threading
import types
import typing
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

import jinja2
from jinja2 import nodes
from pydantic import BaseModel

from . import i18n
from .i18n import N_, _, ngettext
from .render import _patched, environment, preflight

ANY = object()
_DICT_METHODS = frozenset(name for name in dir(dict) if not name.startswith("_"))
PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
FULL_WIDTH = ("｛｛", "｝｝", "｛%", "%｝", "｛％", "％｝", "{％", "％}")
QUOTES = "“”‘’「」"


class _Loop:
    """The type of jinja's `loop` variable."""

    fields: typing.ClassVar[dict[str, type]] = {
        "index": int, "index0": int, "revindex": int, "revindex0": int, "first": bool, "last": bool,
        "length": int, "previtem": object, "nextitem": object}


class _Method:
    def __init__(self, owner: Any, name: str) -> None:
        self.owner, self.name = owner, name


@dataclass(frozen=True, order=True)
class TagProblem:
    """One problem in a template, with the paragraph it is in."""

    template: str
    part: str
    paragraph: int
    message: str
    near: str = ""

    def __str__(self) -> str:
        if self.near:
            return _("{template}: {part} paragraph {paragraph}: {message}\n    near: {near}").format(
                template=self.template, part=self.part, paragraph=self.paragraph, message=self.message,
                near=self.near)
        return _("{template}: {part} paragraph {paragraph}: {message}").format(
            template=self.template, part=self.part, paragraph=self.paragraph, message=self.message)


def _unwrap(t: Any) -> Any:
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t = typing.get_args(t)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            t = args[0] if len(args) == 1 else ANY
        else:
            return t


def _fields(t: Any) -> dict[str, Any] | None:
    """Field name → type for models, dataclasses and TypedDicts; None for other types."""
    if isinstance(t, type) and issubclass(t, BaseModel):
        shown = getattr(t, "TEMPLATE_PROPERTIES", ())
        return {**{name: f.annotation for name, f in t.model_fields.items()},
                **{name: typing.get_type_hints(getattr(t, name).fget)["return"] for name in shown}}
    if dataclasses.is_dataclass(t) and isinstance(t, type):
        return typing.get_type_hints(t)
    if isinstance(t, type) and typing.is_typeddict(t):
        return typing.get_type_hints(t)
    if t is _Loop:
        return dict(_Loop.fields)
    from .charts import Chart

    if t is Chart:
        return {}  # a picture: templates show it and read nothing of it
    return None


def _name(t: Any) -> str:
    t = _unwrap(t)
    origin = typing.get_origin(t)
    if origin is not None:
        return str(t).replace("typing.", "")
    return getattr(t, "__name__", str(t))


class _Checker:
    def __init__(self, template: str, part: str, lines: list[str], env: jinja2.Environment) -> None:
        self.template, self.part, self.lines, self.env = template, part, lines, env
        self.problems: list[TagProblem] = []

    def problem(self, node: nodes.Node, message: str) -> None:
        line = getattr(node, "lineno", 1) or 1
        near = _visible(self.lines[line - 1]) if 0 < line <= len(self.lines) else ""
        self.problems.append(TagProblem(self.template, self.part, line, message, near[:120]))

    # -- types of expressions
    def typeof(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.env.globals:
                return ANY
            close = difflib.get_close_matches(node.name, scope, n=1)
            self.problem(node, _("unknown variable {name!r}; did you mean {close!r}?").format(
                name=node.name, close=close[0]) if close else _("unknown variable {name!r}").format(name=node.name))
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.attr(node, self.typeof(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = _unwrap(self.typeof(node.node, scope))
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) and _fields(base) is not None:
                return self.attr(node, base, node.arg.value)
            self.typeof(node.arg, scope)
            origin = typing.get_origin(base)
            if origin is dict:
                return typing.get_args(base)[1]
            if origin is list:
                return typing.get_args(base)[0]
            return ANY
        if isinstance(node, nodes.Call):
            for arg in node.args:
                self.typeof(arg, scope)
            callee = self.typeof(node.node, scope)
            if isinstance(callee, _Method) and typing.get_origin(_unwrap(callee.owner)) is dict:
                key, value = typing.get_args(_unwrap(callee.owner))
                # list[tuple[key, value]], list[key] and list[value], spelled as the GenericAlias objects that
                # subscripting builds, because mypy reads a subscript of `list` by a variable as a bad type
                items = types.GenericAlias(list, types.GenericAlias(tuple, (key, value)))
                return {"items": items, "keys": types.GenericAlias(list, key),
                        "values": types.GenericAlias(list, value)}.get(callee.name, ANY)
            return ANY
        if isinstance(node, nodes.Filter):
            if node.node is not None:
                self.typeof(node.node, scope)
            for arg in node.args:
                self.typeof(arg, scope)
            named = [a.value for a in node.args[:1] if node.name == "attr" and isinstance(a, nodes.Const)]
            named += [k.value.value for k in node.kwargs if k.key == "attribute" and isinstance(k.value, nodes.Const)]
            for name in named:
                if isinstance(name, str) and any(part.startswith("_") for part in name.split(".")):
                    self.problem(node, _(UNDERSCORE).format(name=name))
            if node.name not in self.env.filters:
                self.problem(node, _("unknown filter {name!r}; known: {known}").format(
                    name=node.name, known=", ".join(sorted(self.env.filters))))
            return int if node.name == "length" else ANY
        if isinstance(node, nodes.Const):
            return type(node.value)
        if isinstance(node, nodes.Pow):
            self.problem(node, _("the ** operator is not allowed in templates"))
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return ANY

    def attr(self, node: nodes.Node, owner: Any, attr: str) -> Any:
        t = _unwrap(owner)
        if attr.startswith("_"):
            self.problem(node, _(UNDERSCORE).format(name=attr))
            return ANY
        if t is ANY or t is object:
            return ANY
        if typing.get_origin(t) is dict:
            if attr in ("items", "keys", "values", "get"):
                return _Method(t, attr)
            if attr in _DICT_METHODS:
                self.problem(node, _("{name!r}: of a mapping, templates may use only items, keys, values and "
                                     "get").format(name=attr))
                return ANY
            return typing.get_args(t)[1]
        fields = _fields(t)
        if fields is None:
            self.problem(node, _("{type} has no field {name!r}").format(type=_name(t), name=attr))
            return ANY
        if attr not in fields:
            close = difflib.get_close_matches(attr, fields, n=1, cutoff=0.6)
            self.problem(node, _("{type} has no field {name!r}; did you mean {close!r}?").format(
                type=_name(t), name=attr, close=close[0]) if close
                else _("{type} has no field {name!r}").format(type=_name(t), name=attr))
            return ANY
        return fields[attr]

    def element(self, node: nodes.Node, t: Any) -> Any:
        t = _unwrap(t)
        if t is ANY:
            return ANY
        origin = typing.get_origin(t)
        if origin in (list, tuple, set):
            return typing.get_args(t)[0] if typing.get_args(t) else ANY
        if origin is dict:
            return typing.get_args(t)[0]
        self.problem(node, _("loop over {type}, which is not a list").format(type=_name(t)))
        return ANY

    # -- statements
    def bind(self, target: nodes.Node, t: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = t
        elif isinstance(target, nodes.Tuple):
            args = typing.get_args(_unwrap(t)) if typing.get_origin(_unwrap(t)) is tuple else ()
            for i, item in enumerate(target.items):
                self.bind(item, args[i] if i < len(args) else ANY, scope)

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            inner = dict(scope)
            self.bind(node.target, self.element(node.iter, self.typeof(node.iter, scope)), inner)
            inner["loop"] = _Loop
            if node.test is not None:
                self.typeof(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Macro):
            scope[node.name] = ANY
            inner = dict(scope)
            for arg in node.args:
                self.bind(arg, ANY, inner)
            inner["caller"] = ANY
            for default in node.defaults:
                self.typeof(default, scope)
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.typeof(node.node, scope), scope)
        elif isinstance(node, nodes.Expr):
            self.typeof(node, scope)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.typeof(child, scope)
                else:
                    self.visit(child, scope)


UNDERSCORE = N_("{name!r}: names that start with '_' are not available to templates")


def _visible(xml: str) -> str:
    return re.sub(r"<[^>]+>", "", xml).strip()


def _paragraphs(xml: str) -> list[str]:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).split("\n")


def _word_damage(template: str, part: str, xml: str) -> list[TagProblem]:
    """Tags that Word typing habits break: full-width braces, Chinese quotes, split delimiters."""
    found = []
    for i, para in enumerate(_paragraphs(xml), start=1):
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para))
        for bad in FULL_WIDTH:
            if bad in text:
                found.append(TagProblem(template, part, i, _("full-width {bad!r} in a tag; type it with ASCII "
                                                             "braces").format(bad=bad), text[:120]))
        for tag in re.findall(r"\{[{%].*?[}%]\}", text):
            if any(q in tag for q in QUOTES):
                found.append(TagProblem(template, part, i, _("Chinese quotes inside {tag!r}; use ASCII "
                                                             "quotes").format(tag=tag), text[:120]))
            if "\u3000" in tag:
                found.append(TagProblem(template, part, i, _("ideographic space inside {tag!r}").format(tag=tag),
                                        text[:120]))
        if re.search(r"\{(?:<[^>]+>)+[{%]|[}%](?:<[^>]+>)+\}", para):
            found.append(TagProblem(template, part, i, _("a tag delimiter is split across Word runs (formatting "
                                                         "changed inside the braces); select the tag and retype "
                                                         "it"), text[:120]))
    return found


MAX_SYNTAX_ERRORS = 20


def _parse_all(env: jinja2.Environment, name: str, part: str, lines: list[str],
               problems: list[TagProblem]) -> nodes.Template | None:
    """Parse a part, reporting every syntax error rather than the first: the paragraph of each
    error is left out and the rest parsed again (a removed opening tag may then report its
    closing one as well). None when the part has a syntax error; its names are then checked
    once the syntax is fixed."""
    source = list(lines)
    failed = False
    for _attempt in range(MAX_SYNTAX_ERRORS):
        try:
            tree = env.parse("\n".join(source))
        except jinja2.TemplateSyntaxError as e:
            failed = True
            line = e.lineno if e.lineno and 0 < e.lineno <= len(lines) else len(lines)
            problems.append(TagProblem(name, part, line, _("syntax error: {message}").format(message=e.message),
                                       _visible(lines[line - 1])[:120]))
            if not source[line - 1]:
                break  # the error is not in this paragraph's own text (e.g. a block left open)
            source[line - 1] = ""
        else:
            return None if failed else tree
    return None


def check_template(path: Path, context_type: type) -> list[TagProblem]:
    """All problems of one template, checked against `context_type` (a TypedDict of the context)."""
    name = str(path)
    preflight(path)
    env = environment()
    problems: list[TagProblem] = []
    root_scope = dict(typing.get_type_hints(context_type)) if typing.is_typeddict(context_type) else {}
    with zipfile.ZipFile(path) as z:
        parts = sorted(n for n in z.namelist() if PARTS.fullmatch(n))
        for part in parts:
            short = part.removeprefix("word/").removesuffix(".xml")
            try:
                xml = z.read(part).decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append(TagProblem(name, short, 1, _("not UTF-8 text ({reason} at byte {byte}); save the "
                                                             "template again with Word").format(
                                                                 reason=e.reason, byte=e.start), ""))
                continue
            problems += _word_damage(name, short, xml)
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", _patched(xml))
            lines = source.split("\n")
            tree = _parse_all(env, name, short, lines, problems)
            if tree is None:
                continue
            checker = _Checker(name, short, lines, env)
            scope = dict(root_scope)
            for node in tree.body:
                checker.visit(node, scope)
            problems += checker.problems
    return sorted(set(problems))


def require_clean(path: Path, context_type: type, cache: Path) -> None:
    """Run check_template once per template and raise TemplateError listing every problem: a
    build refuses a template with unknown names or attributes before anything renders.

    The check costs about 30 ms a template, so its result is kept in docgen's cache folder
    `cache`, by the template's bytes and docgen's code, and in memory for the process."""
    from .errors import TemplateError

    try:
        stat = path.stat()
    except OSError as e:
        raise TemplateError(_("{template}: template not found ({reason})").format(
            template=path, reason=e.strerror)) from e
    problems = _checked(str(path), stat.st_size, stat.st_mtime_ns, context_type, cache, i18n.messages_id())
    if problems:
        shown = [str(p) for p in problems[:10]]
        if len(problems) > 10:
            shown.append(_("… and {n} more").format(n=len(problems) - 10))
        n = len(problems)
        raise TemplateError(ngettext("the template check found {n} problem; nothing was rendered from it:\n{problems}",
                                     "the template check found {n} problems; nothing was rendered from it:\n"
                                     "{problems}", n).format(n=n, problems="\n".join(shown)))


@lru_cache(maxsize=64)
def _checked(path: str, size: int, mtime_ns: int, context_type: type, cache: Path,
             language: str) -> tuple[TagProblem, ...]:
    """The template's problems (size and mtime make a changed file a new entry), their messages in
    `language`: kept by it too, so that a check made in one language is not shown in the other."""
    import hashlib
    import json

    from .versions import code_fingerprint

    name = getattr(context_type, "__name__", str(context_type))
    digest = hashlib.sha256(Path(path).read_bytes() + name.encode() + code_fingerprint().encode()
                            + language.encode()).hexdigest()
    saved = cache / "template-checks" / f"{digest[:32]}.json"
    try:
        return tuple(TagProblem(**p) for p in json.loads(saved.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass  # not checked yet, or the saved result is unreadable: check again
    found = check_template(Path(path), context_type)
    try:
        saved.parent.mkdir(parents=True, exist_ok=True)
        tmp = saved.with_name(f".{saved.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps([dataclasses.asdict(p) for p in found], ensure_ascii=False), encoding="utf-8")
        tmp.replace(saved)
    except OSError:
        pass  # an unwritable cache only costs the check next time
    return tuple(found)
