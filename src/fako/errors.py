"""The exceptions fako raises; the CLI catches `FakoError` once and prints it."""

from __future__ import annotations

from dataclasses import dataclass, field

from fako.text import shown

__all__ = ["FakoError", "Problem", "SpecError", "UsageError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, in the user's words.

    `where` names the app (or file) and `location` the source `file:line`; `field` is the
    dotted path of the setting, `message` what is wrong with the value, `fix` what to do.
    """

    where: str
    message: str
    field: str = ""
    location: str = ""
    fix: str = ""

    def render(self) -> str:
        """Two lines at most: the field and what is wrong, then the fix; all escaped."""
        message = shown(self.message)
        text = f"  {shown(self.field)}  {message}" if self.field else f"  {message}"
        if self.fix:
            text += f"\n    fix: {shown(self.fix)}"
        return text


class FakoError(Exception):
    """A failure fako reports as one clear message (exit code 1)."""

    exit_code = 1


class UsageError(FakoError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2


@dataclass
class SpecError(FakoError):
    """Every problem found in the specs, grouped by where they come from, raised once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        lines: list[str] = []
        groups: dict[tuple[str, str], list[Problem]] = {}
        for p in self.problems:
            groups.setdefault((p.where, p.location), []).append(p)
        for (where, location), problems in groups.items():
            suffix = f" ({shown(location)})" if location else ""
            lines.append(f"invalid spec for {shown(where)}{suffix}")
            lines.extend(p.render() for p in problems)
        n = len(self.problems)
        lines.append(f"{n} error{'s' if n != 1 else ''}; nothing was written")
        return "\n".join(lines)
