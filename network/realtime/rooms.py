"""Room names, computed by the server only (SEC-13)."""


def post_room(post_id: int) -> str:
    return f"post:{post_id}"


def member_room(member_id: int) -> str:
    return f"member:{member_id}"


def case_study_room(case_study_id: int) -> str:
    return f"case_study:{case_study_id}"
