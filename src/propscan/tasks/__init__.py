"""The shared tasks' formats and scorers: PTC (SemEval-2020 Task 11) files, SemEval-2023 Task 3
readers, the paragraph decision of subtask 3, and the official scoring rules."""
