"""CronJob schedules and time zones, read the way Kubernetes 1.34 reads them.

The API server (`pkg/apis/batch/validation/validation.go: validateScheduleFormat`) and
the CronJob controller (`pkg/controller/cronjob/utils.go`) both parse `spec.schedule`
with `cron.ParseStandard` of github.com/robfig/cron/v3 (`parser.go`): exactly five
fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week
0-6 or sun-sat), each a comma list of `*`, `?`, `N`, `N-M`, with an optional `/step`;
or one of the descriptors `@yearly @annually @monthly @weekly @daily @midnight @hourly`
or `@every <Go duration>`. Since 1.27 a schedule may not carry `TZ=`/`CRON_TZ=` (the
API server refuses any "TZ" in it): the zone goes in `spec.timeZone`, which must be an
IANA zone name other than `Local` (`validateTimeZone`).

This is robfig's dialect, not Vixie cron's or croniter's: `7` for Sunday, `L`, `W`,
`#`, `H`, wrap-around ranges (`5-3`) and a seconds or year field are all refused by it,
while croniter accepts them (and refuses `?` outside the day fields), so croniter cannot
tell what the cluster accepts; the grammar below is robfig's `getRange`, field by field.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["DESCRIPTORS", "schedule_problems", "time_zone_problems"]

DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_GO_DURATION = re.compile(r"[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)")
_TZ_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")
_INT = re.compile(r"[+-]?[0-9]+")  # what Go's strconv.Atoi accepts


@dataclass(frozen=True)
class _Bounds:
    name: str
    low: int
    high: int
    names: dict[str, int]


_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_DAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_FIELDS = (
    _Bounds("minute", 0, 59, {}),
    _Bounds("hour", 0, 23, {}),
    _Bounds("day of month", 1, 31, {}),
    _Bounds("month", 1, 12, _MONTHS),
    _Bounds("day of week", 0, 6, _DAYS),
)


class _Refused(ValueError):
    pass


def _number(text: str, bounds: _Bounds | None, expr: str) -> int:
    named = bounds.names.get(text.lower()) if bounds else None
    if named is not None:
        return named
    if not _INT.fullmatch(text):
        raise _Refused(f"failed to parse int from {text!r} in {expr!r}")
    value = int(text)
    if value < 0:
        raise _Refused(f"negative number ({value}) not allowed: {expr!r}")
    return value


def _range(expr: str, bounds: _Bounds) -> None:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    if low_and_high[0] in ("*", "?"):
        start, end = bounds.low, bounds.high  # robfig ignores anything after "*-"
    else:
        start = _number(low_and_high[0], bounds, expr)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _number(low_and_high[1], bounds, expr)
        else:
            raise _Refused(f"too many hyphens: {expr!r}")
    if len(range_and_step) == 2:
        step = _number(range_and_step[1], None, expr)
        if len(low_and_high) == 1:
            end = bounds.high  # "N/step" runs from N to the field's maximum
    elif len(range_and_step) > 2:
        raise _Refused(f"too many slashes: {expr!r}")
    else:
        step = 1
    if start < bounds.low:
        raise _Refused(f"{bounds.name}: beginning of range ({start}) below minimum ({bounds.low}): {expr!r}")
    if end > bounds.high:
        raise _Refused(f"{bounds.name}: end of range ({end}) above maximum ({bounds.high}): {expr!r}")
    if start > end:
        raise _Refused(f"{bounds.name}: beginning of range ({start}) beyond end of range ({end}): {expr!r}")
    if step <= 0:
        raise _Refused(f"{bounds.name}: step of range should be a positive number: {expr!r}")


@lru_cache(maxsize=1024)
def schedule_problems(schedule: str) -> tuple[str, ...]:
    """What `cron.ParseStandard` and the API server refuse in a CronJob schedule (empty if valid)."""
    if not schedule:
        return ("is empty",)
    problems: list[str] = []
    if "TZ" in schedule:
        problems.append("cannot use TZ or CRON_TZ in schedule, use the timeZone field instead")
    spec = schedule
    if spec.startswith(("TZ=", "CRON_TZ=")):
        spec = spec.partition(" ")[2].strip()
    try:
        if spec.startswith("@"):
            if spec.startswith("@every "):
                if not _GO_DURATION.fullmatch(spec.removeprefix("@every ")):
                    raise _Refused(f"failed to parse duration {spec!r}")
            elif spec not in DESCRIPTORS:
                raise _Refused(f"unrecognized descriptor: {spec!r}")
        else:
            fields = spec.split()
            if len(fields) != len(_FIELDS):
                raise _Refused(f"expected exactly 5 fields, found {len(fields)}: {fields}")
            for field, bounds in zip(fields, _FIELDS, strict=True):
                for expr in field.split(","):
                    _range(expr, bounds)
    except _Refused as exc:
        problems.insert(0, str(exc))
    return tuple(problems)


@lru_cache(maxsize=256)
def time_zone_problems(zone: str) -> tuple[str, ...]:
    """What `validateTimeZone` refuses in a CronJob's `spec.timeZone` (empty if valid)."""
    if not zone:
        return ("must be omitted or a non-empty time zone name",)
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
            return (f"unknown time zone {zone!r}",)
    if zone.lower() == "local":
        return ("must be an explicit time zone as defined in https://www.iana.org/time-zones",)
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return (f"unknown time zone {zone!r}",)
    return ()
