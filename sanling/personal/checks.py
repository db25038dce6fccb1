"""A production deployment refuses to start without its data key (``sanling check`` says so too)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security)
def data_key_check(app_configs=None, **kwargs) -> list[Error]:
    from . import crypto

    if not settings.PRODUCTION:
        return []
    source, path = crypto.key_source()
    if not source:
        return [
            Error(
                "生产环境未配置数据密钥：个人信息字段无法加密或解密。",
                hint=f"设置 SANLING_DATA_KEY（base64 编码的 32 字节），或把密钥文件放在 {path}（权限 0600）。",
                id="sanling.personal.E001",
            )
        ]
    try:
        crypto.keys()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="sanling.personal.E002")]
    return []
