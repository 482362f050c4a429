"""Free Swedish answers to consultation slot values: phrases (`textmatch`), numbers with units
(`numbers`, `numberslots`), time words (`timewords`), and the parser that combines them (`parse`).

    from bot.advisor.parsing.parse import parse_answer, slot_updates

The package imports nothing itself, so the low-level modules load without the advisor's data loader.
"""
