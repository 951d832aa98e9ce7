"""`smarketing opportunity ...`, `plan ...` and `step ...`: deals to close this quarter and the
engagement plans that work back from the quarter end."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from smarketing_desktop.cli.base import (
    EXIT_OK,
    CommandAdder,
    Subcommands,
    emit_json,
    emit_table,
    respond,
)
from smarketing_desktop.core.errors import UserError
from smarketing_desktop.core.planning import (
    OPPORTUNITY_STATUSES,
    STEP_STATUSES,
    Moved,
    check_status,
    move_message,
    parse_amount,
)
from smarketing_desktop.core.prospects import REMOVED_PROSPECT
from smarketing_desktop.core.wording import plural
from smarketing_desktop.db.store import Database

if TYPE_CHECKING:
    from smarketing_desktop.db.repositories.plans import PlanStepInfo


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-03-31") from None


def _amount(text: str) -> Decimal:
    try:
        return parse_amount(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _status(text: str) -> str:
    try:
        return check_status(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


# -- opportunities ------------------------------------------------------------------------------


def cmd_opportunity_add(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opportunities import (
        OpportunityDraft,
        OpportunityRepository,
    )

    opportunity = OpportunityRepository(db).add(
        OpportunityDraft(
            prospect_id=args.prospect,
            name=args.name,
            close_date=args.close_date,
            amount=args.amount,
            stage=args.stage,
            status=args.status,
        )
    )
    return respond(
        args,
        opportunity.to_json(),
        f"Added opportunity {opportunity.id}: {opportunity.name}, closing in "
        f"{opportunity.quarter.label} (ends {opportunity.quarter.end}, "
        f"{plural(opportunity.days_left, 'day')} left). Plan it with: "
        f"smarketing plan generate --opportunity {opportunity.id}",
    )


def cmd_opportunity_list(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opportunities import OpportunityRepository

    found = OpportunityRepository(db).find(status=args.status, prospect_id=args.prospect)
    if args.json:
        emit_json([o.to_json() for o in found])
    elif not found and (args.status is not None or args.prospect is not None):
        print("No opportunities match these filters.")
    elif not found:
        print(
            "No opportunities yet. Add one with: smarketing opportunity add --prospect ID "
            "--name NAME --amount 50000 --close-date 2027-03-15"
        )
    else:
        emit_table(
            [
                (
                    o.id,
                    o.name[:40],
                    o.prospect or "",
                    o.company or "",
                    _money(o.amount),
                    o.close_date,
                    o.quarter.label,
                    o.days_left,
                    o.stage or "",
                    o.status,
                )
                for o in found
            ],
            (
                "ID",
                "NAME",
                "PROSPECT",
                "COMPANY",
                "AMOUNT",
                "CLOSE",
                "QUARTER",
                "DAYS LEFT",
                "STAGE",
                "STATUS",
            ),
        )
    return EXIT_OK


def cmd_opportunity_show(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opportunities import OpportunityRepository

    o = OpportunityRepository(db).get(args.id)
    return respond(
        args,
        o.to_json(),
        f"{o.name} ({o.status}{', ' + o.stage if o.stage else ''})\n"
        f"  {o.prospect or REMOVED_PROSPECT}{' at ' + o.company if o.company else ''}\n"
        f"  {_money(o.amount) or 'no amount'} · closes {o.close_date} in {o.quarter.label}, "
        f"which ends {o.quarter.end} ({plural(o.days_left, 'day')} left)",
    )


def cmd_opportunity_update(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opportunities import (
        OpportunityChanges,
        OpportunityRepository,
    )

    result = OpportunityRepository(db).update(
        args.id,
        OpportunityChanges(
            name=args.name,
            amount=args.amount,
            close_date=args.close_date,
            stage=args.stage,
            status=args.status,
        ),
    )
    o = result.opportunity
    # Say what changed, not only the close date: "--status lost" must read as "marked lost".
    changed = []
    if args.status is not None:
        changed.append(f"marked {o.status}")
    if args.amount is not None:
        changed.append(f"amount {_money(o.amount)}")
    if args.stage is not None:
        changed.append(f"stage {o.stage}" if o.stage else "stage cleared")
    changed.append(f"closes {o.close_date} in {o.quarter.label}")
    lines = [f"Updated opportunity {o.id} ({o.name}): {'; '.join(changed)}."]
    if result.replanned is not None:
        if result.replanned.steps:
            moved = plural(result.replanned.steps, "pending plan step")
            lines.append(f"{moved} moved to fit the quarter ending {result.replanned.quarter_end}.")
        lines.extend(w.message for w in result.replanned.warnings)
    return respond(args, result.to_json(), "\n".join(lines))


def cmd_opportunity_remove(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.opportunities import OpportunityRepository

    o = OpportunityRepository(db).remove(args.id)
    return respond(
        args,
        {"removed": o.id, "name": o.name},
        f"Removed opportunity {o.id}: {o.name} (and its plan)",
    )


# -- plans --------------------------------------------------------------------------------------


def _steps_table(steps: Sequence[PlanStepInfo]) -> None:
    rows = [
        (s.id, s.due.strftime("%a %Y-%m-%d"), s.status, s.channel, s.prospect or "", s.action[:70])
        for s in steps
    ]
    emit_table(rows, ("ID", "DUE", "STATUS", "CHANNEL", "PROSPECT", "ACTION"))


def cmd_plan_generate(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository

    plan = PlanRepository(db).generate(args.opportunity, args.playbook)
    if args.json:
        emit_json(plan.to_json())
        return EXIT_OK
    print(
        f"Plan for opportunity {plan.opportunity_id} ({plan.playbook_id} playbook): "
        f"{plural(len(plan.steps), 'step')} from {plan.start} to the end of {plan.quarter} on "
        f"{plan.quarter_end}."
    )
    for warning in plan.warnings:
        print(f"Note: {warning.message}")
    _steps_table(plan.steps)
    return EXIT_OK


def cmd_plan_list(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository, StepQuery

    steps = PlanRepository(db).steps(
        StepQuery(
            opportunity_id=args.opportunity,
            prospect_id=args.prospect,
            due_by=args.due_by,
            status=args.status,
        )
    )
    if args.json:
        emit_json([s.to_json() for s in steps])
    elif not steps and any(
        v is not None for v in (args.opportunity, args.prospect, args.due_by, args.status)
    ):
        print("No plan steps match these filters.")
    elif not steps:
        print("No plan steps. Plan an opportunity with: smarketing plan generate --opportunity ID")
    else:
        _steps_table(steps)
    return EXIT_OK


def cmd_plan_export_ics(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.cli.base import write_output_file
    from smarketing_desktop.db.repositories.plans import PlanRepository

    data = PlanRepository(db).export_ics(args.opportunity)
    target = write_output_file(args.file, data)
    count = data.count(b"BEGIN:VEVENT")
    return respond(
        args,
        {"file": str(target), "events": count},
        f"Wrote {plural(count, 'plan step')} to {target}; importing it again updates the "
        "same events.",
    )


def cmd_plan_playbooks(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository

    playbooks = PlanRepository(db).playbooks()
    if args.json:
        emit_json([p.to_json() for p in playbooks.values()])
    else:
        emit_table(
            [(p.id, p.name, len(p.steps), p.source or "") for p in playbooks.values()],
            ("ID", "NAME", "STEPS", "FILE"),
        )
    return EXIT_OK


# -- steps --------------------------------------------------------------------------------------


def cmd_step_done(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository

    step = PlanRepository(db).mark_done(args.id)
    who = f" (touch logged with {step.prospect})" if step.touched_prospect else ""
    also = (
        f"; the same profile step is done in the other plans too (steps "
        f"{', '.join(map(str, step.also_done))})"
        if step.also_done
        else ""
    )
    return respond(args, step.to_json(), f"Done: step {step.id}{who}{also}")


def cmd_step_skip(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository

    step = PlanRepository(db).skip(args.id)
    return respond(args, step.to_json(), f"Skipped step {step.id}")


def cmd_step_snooze(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository

    result = PlanRepository(db).snooze(args.id, args.days)
    return respond(args, result.to_json(), result.message)


def cmd_step_move(args: argparse.Namespace, db: Database) -> int:
    from smarketing_desktop.db.repositories.plans import PlanRepository

    step = PlanRepository(db).move(args.id, args.date)
    moved = Moved(args.date, step.due)
    message = move_message(step.id, moved)
    return respond(
        args,
        {**step.to_json(), "wanted": args.date.isoformat(), "message": message},
        message,
    )


def register(commands: Subcommands, command: CommandAdder) -> None:
    opportunity = command.group(commands, "opportunity", "deals to close, by quarter")
    add = command(opportunity, "add", cmd_opportunity_add, "add an opportunity")
    add.add_argument("--prospect", type=int, required=True, metavar="ID")
    add.add_argument("--name", required=True)
    add.add_argument("--amount", type=_amount, required=True, metavar="AMOUNT")
    add.add_argument("--close-date", type=_date, required=True, metavar="YYYY-MM-DD")
    add.add_argument("--stage", metavar="STAGE", help="e.g. Discovery, Proposal")
    add.add_argument(
        "--status", type=_status, default="open", metavar="STATUS", help="open, won or lost"
    )
    lister = command(opportunity, "list", cmd_opportunity_list, "list opportunities by close date")
    lister.add_argument("--status", type=_status, metavar="STATUS", help="open, won or lost")
    lister.add_argument("--prospect", type=int, metavar="ID")
    show = command(opportunity, "show", cmd_opportunity_show, "show one opportunity")
    show.add_argument("id", type=int, metavar="ID")
    update = command(
        opportunity,
        "update",
        cmd_opportunity_update,
        "change an opportunity (a close date in another quarter re-plans pending steps)",
    )
    update.add_argument("id", type=int, metavar="ID")
    update.add_argument("--name")
    update.add_argument("--amount", type=_amount, metavar="AMOUNT")
    update.add_argument("--close-date", type=_date, metavar="YYYY-MM-DD")
    update.add_argument("--stage", metavar="STAGE", help='"" clears it')
    update.add_argument(
        "--status", type=_status, metavar="STATUS", help=", ".join(OPPORTUNITY_STATUSES)
    )
    remove = command(opportunity, "remove", cmd_opportunity_remove, "remove one and its plan")
    remove.add_argument("id", type=int, metavar="ID")

    plan = command.group(commands, "plan", "engagement plans that work back from the quarter end")
    generate = command(
        plan,
        "generate",
        cmd_plan_generate,
        "lay a playbook out before the opportunity's quarter end (pending steps are replaced)",
    )
    generate.add_argument("--opportunity", type=int, required=True, metavar="ID")
    generate.add_argument("--playbook", metavar="ID", help="default: the one used last")
    plan_list = command(plan, "list", cmd_plan_list, "plan steps by due date")
    plan_list.add_argument("--opportunity", type=int, metavar="ID")
    plan_list.add_argument("--prospect", type=int, metavar="ID")
    plan_list.add_argument("--due-by", type=_date, metavar="YYYY-MM-DD")
    plan_list.add_argument("--status", choices=STEP_STATUSES)
    export = command(
        plan, "export-ics", cmd_plan_export_ics, "write plan steps to an iCalendar file"
    )
    export.add_argument("file", metavar="FILE.ics")
    export.add_argument("--opportunity", type=int, metavar="ID")
    command(plan, "playbooks", cmd_plan_playbooks, "list the playbooks plans can follow")

    step = command.group(commands, "step", "mark plan steps done, skipped, later or on another day")
    done = command(step, "done", cmd_step_done, "mark a step done (logs a touch)")
    done.add_argument("id", type=int, metavar="ID")
    skip = command(step, "skip", cmd_step_skip, "skip a step")
    skip.add_argument("id", type=int, metavar="ID")
    snooze = command(
        step, "snooze", cmd_step_snooze, "move a step later (never past the quarter end)"
    )
    snooze.add_argument("id", type=int, metavar="ID")
    snooze.add_argument("--days", type=int, required=True, metavar="N")
    move = command(
        step,
        "move",
        cmd_step_move,
        "move a step to a day, earlier or later, from today to the quarter end "
        "(a day off moves on to the next working day)",
    )
    move.add_argument("id", type=int, metavar="ID")
    move.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")
