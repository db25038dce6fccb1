"""Masking rules: enough of a value to recognise it, not enough to use it. Every page, API answer and
export shows personal fields through one of these unless the reader unmasked them with a reason."""

# Two-character surnames (复姓) keep both characters: 欧阳** rather than 欧***.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 百里 呼延 "
    "赫连 澹台 公冶 太史 申屠 钟离 闻人 万俟 濮阳 淳于 单于 仲孙 东郭 拓跋".split()
)


def mask_phone(phone: str) -> str:
    """138****1234: the operator's prefix and the last four digits."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_name(name: str) -> str:
    """张* / 张** / 欧阳**: the surname only."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_id_number(number: str) -> str:
    """1101**********1234: the first four (province and city) and the last four characters."""
    if len(number) < 12:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_text(text: str) -> str:
    """Free text that may hold anything personal: its length only."""
    return "*" * min(len(text), 8)
