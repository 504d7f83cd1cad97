"""Which arithmetic this engine plays: saves record it, so a save that no longer verifies says why.

Bump RULES_VERSION in the same commit as any change that alters a digest for the same content and
orders: a rule, a formula, a constant, the order of a sum, a random stream, or the digest itself.
Add a line to HISTORY, and record the new digest of the fixed replay in
tests/saves/golden/rules_digests.json (tests/saves/test_rules_version.py says how).
"""

RULES_VERSION = 6

HISTORY = {
    1: "the engine up to November 2026 (digests of floats rounded to 30-bit mantissas); saves before "
       "format version 3 did not record a rules version and are taken to be this one",
    2: "digests over the exact bits of every value; quarterly growth by square roots and logs through mathx; "
       "pow10 reduced in base 10",
    3: "history as a test (issue 11): chips only into power that is on, each paying for its own new power, off-grid "
       "power capped; shared application markets and token prices; revenue reinvested at a share; domestic EUV not "
       "before its earliest year; packaging growth capped; smuggled chips first; onshore self-sufficiency; one "
       "frontier share for both sides, calibrated by `compute-race backtest`",
    4: "the lead track (issue 12, DESIGN.md \"Winning\", rules 2): a verdict of six parts every quarter added to "
       "running totals with growing quarter weights; a decisive lead (the Transformative tier, deployment, a lead "
       "in months) replaces the transformative-AI race; the track decides the last quarter",
    5: "one world, walked as it happened (issue 23): usable compute per chip; chips not before their year; imports "
       "ranked by usable FLOP a dollar and capped by value; smuggled chips after legal ones; events dated by year; "
       "runs and power under way at the start; the largest run's share per side, growing to a ceiling; power built "
       "ahead only for chips that can come; markets and research references scaled to the year before 2025",
    6: "rules 3 (issue 25): the verdict's five parts, applications (adoption x capability across the sectors) "
       "replacing revenue and security, each weight 0.10-0.30; supply scores the onshore-made share of the last four"
       " quarters' new accelerators; each side orders the onshore share of its new fab money (onshore premium and "
       "build time, the CHIPS Act lowering the premium; capacity abroad builds faster); the licence fee (15% of the "
       "importer's spend on licensed chips) moves each quarter from the importer's treasury to the exporter's; the "
       "licence sets the tier back to H20-class sales (open from tier 3), lifting no HBM or tool control; "
       "research breakthroughs many small leaps whose chance rises with a side's research pace "
       "against the rival's (the decisive margin 18.5 months); idle money above four quarters of base budget flows "
       "back to investors at a quarter's close",
}
