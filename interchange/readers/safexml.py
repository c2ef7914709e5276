"""Safe, streaming XML for untrusted exports: no entities, no network, memory kept flat.

A file damaged in a way that can be mended without loss (an undeclared namespace prefix, a bare
`&`, an HTML entity XML does not know) is read through a MendingReader and the mend reported.
"""

import codecs
import html.entities
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import iterparse

# Prefixes real exports use, and what they mean, for mending a file that forgot one.
KNOWN_NAMESPACES = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "app": "http://purl.org/atom/app#",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "georss": "http://www.georss.org/georss",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "blogger": "http://schemas.google.com/blogger/2018",
    "media": "http://search.yahoo.com/mrss/",
    "atom": "http://www.w3.org/2005/Atom",
}
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
ENTITY = re.compile(rb"&(#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_][\w.-]{0,40};)?")
# Control characters XML 1.0 cannot carry at all. They show as nothing: dropping them loses
# nothing a reader saw (an old editor's stray \x0b, a pasted terminal colour \x1b).
CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CHUNK = 1 << 16
# The encoding an XML declaration names (none means UTF-8); a byte-order mark may come first.
DECLARED_ENCODING = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([\w.-]+)[\"']")


class ExportError(Exception):
    """One sentence for the writer: what is wrong with the file, and where."""


@dataclass
class Mends:
    """What had to be mended to read the file, and where it was first needed."""

    prefixes: dict = field(default_factory=dict)  # prefix -> (line, column)
    escape_ampersands: bool = False
    ampersands: int = 0
    entities: int = 0
    first_ampersand: tuple | None = None
    first_control: tuple | None = None  # (line, column): control characters are dropped
    controls: int = 0
    first_not_utf8: int | None = None  # line: bytes that are not UTF-8 read as Windows-1252
    not_utf8: int = 0

    def sentences(self):
        out = [
            f"Declared the namespace prefix '{prefix}:' the file uses without declaring it "
            f"(first at line {line}, column {column})."
            for prefix, (line, column) in self.prefixes.items()
        ]
        if self.ampersands:
            line, column = self.first_ampersand or (0, 0)
            out.append(
                f"Escaped {self.ampersands} bare '&' (first at line {line}, column {column})."
            )
        if self.entities:
            out.append(f"Replaced {self.entities} HTML entities XML does not know by characters.")
        if self.first_control:
            line, column = self.first_control
            out.append(
                f"Removed {self.controls} control characters, which show as nothing "
                f"(first at line {line}, column {column})."
            )
        if self.first_not_utf8:
            out.append(
                f"Read {self.not_utf8} characters that were not UTF-8, as the file says it is, "
                f"as Windows-1252 (first at line {self.first_not_utf8}): curly quotes and "
                "accented letters pasted from an old editor, most often; check them."
            )
        return out


class MendingReader:
    """A binary file, read with the mends applied: declarations added to the root tag,
    and outside CDATA and comments, bare ampersands escaped and HTML entities made numeric."""

    def __init__(self, path, mends):
        self.file = open(path, "rb")  # noqa: SIM115 (closed by close())
        self.mends = mends
        self.pending = b""
        self.out = b""
        self.state = "text"  # or "cdata", "comment"
        self.root_done = not mends.prefixes
        self.line = 1
        self.eof = False
        self.mends.controls = 0  # Counted again on each pass over the file.
        self.mends.not_utf8 = 0
        self.utf8 = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")

    def close(self):
        self.file.close()

    def read(self, size=CHUNK):
        while len(self.out) < size and not (self.eof and not self.pending):
            chunk = self.file.read(CHUNK)
            if self.mends.first_not_utf8:
                chunk = self._as_utf8(chunk)
            if not chunk:
                self.eof = True
            elif self.mends.first_control:
                chunk, removed = CONTROLS.subn(b"", chunk)
                self.mends.controls += removed
            self.pending += chunk
            self._process()
        data, self.out = self.out[:size], self.out[size:]
        return data

    def _as_utf8(self, chunk):
        """The chunk as UTF-8, each byte that is not UTF-8 read as Windows-1252 (a sequence
        cut between two chunks waits in the decoder for the rest of it)."""
        text, count = ESCAPED_BYTE.subn(_windows_1252, self.utf8.decode(chunk, final=not chunk))
        self.mends.not_utf8 += count
        return text.encode("utf-8")

    def _emit(self, data):
        self.line += data.count(b"\n")
        self.out += data

    def _process(self):
        if not self.root_done:
            if not self._inject_declarations():
                return
        if not self.mends.escape_ampersands:
            self._emit(self.pending)
            self.pending = b""
            return
        buf, i = self.pending, 0
        while i < len(buf):
            if self.state != "text":
                end = b"]]>" if self.state == "cdata" else b"-->"
                j = buf.find(end, i)
                if j < 0:
                    keep = max(i, len(buf) - 2) if not self.eof else len(buf)
                    self._emit(buf[i:keep])
                    i = keep
                    break
                self._emit(buf[i : j + 3])
                i, self.state = j + 3, "text"
                continue
            j = min((k for k in (buf.find(b"&", i), buf.find(b"<!", i)) if k >= 0), default=-1)
            if j < 0:
                self._emit(buf[i:])
                i = len(buf)
                break
            if len(buf) - j < 48 and not self.eof:
                self._emit(buf[i:j])
                i = j
                break
            self._emit(buf[i:j])
            if buf.startswith(b"<![CDATA[", j):
                self.state, i = "cdata", j + 9
                self._emit(b"<![CDATA[")
            elif buf.startswith(b"<!--", j):
                self.state, i = "comment", j + 4
                self._emit(b"<!--")
            elif buf[j : j + 1] == b"<":
                self._emit(b"<!")
                i = j + 2
            else:
                i = j + self._mend_ampersand(buf, j)
        self.pending = buf[i:]

    def _mend_ampersand(self, buf, j):
        match = ENTITY.match(buf, j)
        ref = match.group(1)
        if ref and (ref.startswith(b"#") or ref[:-1].decode() in XML_ENTITIES):
            self._emit(match.group(0))
            return len(match.group(0))
        if ref and ref[:-1].decode() in html.entities.name2codepoint:
            self.mends.entities += 1
            self._emit(b"&#%d;" % html.entities.name2codepoint[ref[:-1].decode()])
            return len(match.group(0))
        self.mends.ampersands += 1
        if self.mends.first_ampersand is None:
            column = j - buf.rfind(b"\n", 0, j)
            self.mends.first_ampersand = (self.line, column)
        self._emit(b"&amp;")
        return 1

    def _inject_declarations(self):
        """Add the missing xmlns declarations to the root element's start tag."""
        buf, i = self.pending, 0
        while True:
            i = buf.find(b"<", i)
            if i < 0 or i + 1 >= len(buf):
                return self._give_up_if_eof()
            if buf[i + 1 : i + 2] in (b"?", b"!"):
                end = buf.find(b"-->" if buf.startswith(b"<!--", i) else b">", i)
                if end < 0:
                    return self._give_up_if_eof()
                i = end + 1
                continue
            break
        end, quote = i, None
        while end < len(buf):
            ch = buf[end : end + 1]
            if quote:
                quote = None if ch == quote else quote
            elif ch in (b"'", b'"'):
                quote = ch
            elif ch == b">":
                break
            end += 1
        else:
            return self._give_up_if_eof()
        close = end - 1 if buf[end - 1 : end] == b"/" else end
        declarations = b"".join(
            b' xmlns:%s="%s"'
            % (prefix.encode(), KNOWN_NAMESPACES.get(prefix, f"urn:quire:{prefix}").encode())
            for prefix in self.mends.prefixes
        )
        self.pending = buf[:close] + declarations + buf[close:]
        self.root_done = True
        return True

    def _give_up_if_eof(self):
        if self.eof:
            self.root_done = True
        return self.root_done


def unbound_prefix(path, line, column):
    """The prefix at a line and column of the file, where expat found it undeclared."""
    with open(path, "rb") as file:
        for number, text in enumerate(file, start=1):
            if number == line:
                match = re.match(rb"</?([A-Za-z_][\w.-]*):", text[column:])
                if not match:
                    match = re.search(rb"([A-Za-z_][\w.-]*):[\w.-]+\s*=", text[column:])
                return match.group(1).decode() if match else None
    return None


def head_encoding(head):
    """UTF-16 by its byte-order mark or its first "<" (XML 1.0, appendix F), else UTF-8: the
    XML reader itself reads the declaration; this is only to tell what the file is."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    return "utf-8"


# Bytes that are not UTF-8, as surrogateescape leaves them in the decoded text.
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _windows_1252(match):
    """An escaped byte as Windows-1252 reads it, or Latin-1 for the five it leaves undefined."""
    byte = bytes([ord(match.group()) - 0xDC00])
    return byte.decode("windows-1252", errors="ignore") or byte.decode("latin-1")


def not_utf8_at(path, line):
    """Whether the file's bytes at this line are not UTF-8 (in a file that says it is)."""
    with open(path, "rb") as file:
        head = file.read(200)
        declared = DECLARED_ENCODING.match(head)
        if head_encoding(head[:2]) != "utf-8" or (
            declared and declared.group(1).lower() not in (b"utf-8", b"utf8")
        ):
            return False
        file.seek(0)
        for number, text in enumerate(file, start=1):
            if number == line:
                try:
                    text.decode("utf-8")
                except UnicodeDecodeError:
                    return True
                return False
    return False


def control_at(path, line, column):
    """Whether expat stopped at a control character (in a file of 8-bit characters: in UTF-16
    every other byte is one)."""
    with open(path, "rb") as file:
        if head_encoding(file.read(2)) != "utf-8":
            return False
        file.seek(0)
        for number, text in enumerate(file, start=1):
            if number == line:
                return bool(CONTROLS.fullmatch(text[column : column + 1]))
    return False


def elements(path, mends, events=("start", "end")):
    """iterparse over the file as mended, refusing entity declarations and external references."""
    reader = MendingReader(path, mends)
    try:
        yield from iterparse(reader, events=events, forbid_dtd=False)
    finally:
        reader.close()


def explain(error, path, *, after=""):
    """A parse error as one sentence for the writer, with the line and column, and the last
    entry read whole (`after`), which is where to look in the file and the old blog."""
    if isinstance(error, EntitiesForbidden):
        return (
            "The file declares entities of its own (a trick used to exhaust memory or read "
            "local files); exports never need them, so it was refused."
        )
    if isinstance(error, DTDForbidden | DefusedXmlException):
        return "The file refers to external definitions, which exports never need: refused."
    line, column = getattr(error, "position", (0, 0))
    code = getattr(error, "code", None)
    # Errors expat can only meet at the end of the input: the file stops inside the export.
    ends_early = {
        expat.errors.codes[name]
        for name in (
            expat.errors.XML_ERROR_NO_ELEMENTS,
            expat.errors.XML_ERROR_UNCLOSED_TOKEN,
            expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
        )
    }
    where = f", after {after}" if after else ""
    if code in ends_early:
        return (
            f"The file ends before the export does, at line {line}, column {column}{where}: "
            "it looks truncated; download the export again."
        )
    reason = str(error).split(":")[0]
    return f"The file is not well-formed XML at line {line}, column {column} ({reason}){where}."


def mendable(error, path, mends):
    """Whether a parse error can be mended without loss; records the mend if so."""
    if not isinstance(error, ParseError):
        return False
    line, column = error.position
    if error.code == expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX]:
        prefix = unbound_prefix(path, line, column)
        if prefix and prefix not in mends.prefixes:
            mends.prefixes[prefix] = (line, column + 1)
            return True
        return False
    if (
        error.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]
        and not mends.first_control
        and control_at(path, line, column)
    ):
        mends.first_control = (line, column + 1)
        return True
    if (
        error.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]
        and not mends.first_not_utf8
        and not_utf8_at(path, line)
    ):
        mends.first_not_utf8 = line
        return True
    token_errors = {
        expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY],
    }
    if error.code in token_errors and not mends.escape_ampersands:
        mends.escape_ampersands = True
        return True
    return False
