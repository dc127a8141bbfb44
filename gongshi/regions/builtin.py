"""Keep the built-in regions in the database: run after every migrate (and test flush)."""

from gongshi.regions.data.heilongjiang import PREFECTURES, PROVINCE


def ensure_regions(**kwargs) -> None:
    from gongshi.regions.models import Region, RegionLevel

    wanted: list[tuple[str, str, str, str, str | None]] = [(*PROVINCE, RegionLevel.PROVINCE, None)]
    for code, name, name_en, counties in PREFECTURES:
        wanted.append((code, name, name_en, RegionLevel.PREFECTURE, PROVINCE[0]))
        wanted.extend((c, n, e, RegionLevel.COUNTY, code) for c, n, e in counties)
    existing = {r.code: r for r in Region.objects.all()}
    for code, name, name_en, level, parent_code in wanted:  # parents come before children
        region = existing.get(code)
        parent = existing[parent_code] if parent_code else None
        if region is None:
            existing[code] = Region.objects.create(
                code=code, name=name, name_en=name_en, level=level, parent=parent
            )
        elif (region.name, region.name_en, region.level, region.parent_id) != (
            name,
            name_en,
            level,
            parent.pk if parent else None,
        ):
            region.name, region.name_en, region.level, region.parent = name, name_en, level, parent
            region.save()
