<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AttributeTable</name>
    <message>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <source>text in any field</source>
        <translation>任意字段中的文字</translation>
    </message>
    <message>
        <source>All fields</source>
        <translation>全部字段</translation>
    </message>
    <message>
        <source>{shown} of {total} features, {selected} selected</source>
        <translation>显示 {shown} / 共 {total} 个要素，已选 {selected} 个</translation>
    </message>
</context>
<context>
    <name>ExportWebMapDialog</name>
    <message>
        <source>Export web map</source>
        <translation>导出网页地图</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Automatic: a note when shapes are schematic</source>
        <translation>自动：图形为示意时附注说明</translation>
    </message>
    <message>
        <source>None: the bundled land and sea layers (works offline)</source>
        <translation>无：使用内置陆地与海域图层（可离线）</translation>
    </message>
    <message>
        <source>Tianditu (needs your key)</source>
        <translation>天地图（需要您的密钥）</translation>
    </message>
    <message>
        <source>Tianditu key</source>
        <translation>天地图密钥</translation>
    </message>
    <message>
        <source>Gaode/AMap tiles are not offered: they are shifted (GCJ-02) and would misplace the WGS84 data.</source>
        <translation>不提供高德地图瓦片：其坐标经过偏移（GCJ-02），会使 WGS84 数据错位。</translation>
    </message>
    <message>
        <source>Self-contained: one file that opens offline</source>
        <translation>独立文件：单个文件，可离线打开</translation>
    </message>
    <message>
        <source>Linked: smaller, loads Leaflet from the internet</source>
        <translation>链接模式：文件更小，从互联网加载 Leaflet</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Subtitle:</source>
        <translation>副标题：</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <source>Tianditu key:</source>
        <translation>天地图密钥：</translation>
    </message>
    <message>
        <source>Scripts:</source>
        <translation>脚本：</translation>
    </message>
    <message>
        <source>Douglas-Peucker tolerance for every layer; 0 keeps every vertex</source>
        <translation>所有图层的道格拉斯-普克简化容差；0 表示保留全部节点</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
    <message>
        <source>Simplify</source>
        <translation>简化</translation>
    </message>
    <message>
        <source>Simplify all layers to:</source>
        <translation>全部图层简化到：</translation>
    </message>
    <message>
        <source>Layers (canvas order)</source>
        <translation>图层（按画布顺序）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Preview in browser</source>
        <translation>在浏览器中预览</translation>
    </message>
    <message>
        <source>Simplification tolerance for this layer</source>
        <translation>本图层的简化容差</translation>
    </message>
    <message>
        <source>Choose at least one layer.</source>
        <translation>请至少选择一个图层。</translation>
    </message>
    <message>
        <source>Estimated file size: {size}</source>
        <translation>预计文件大小：{size}</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <source>The web map could not be written:
{error}</source>
        <translation>无法写入网页地图：
{error}</translation>
    </message>
</context>
<context>
    <name>FeaturePanel</name>
    <message>
        <source>Click a zone on the map to see its attributes and plan indicators.</source>
        <translation>在地图上点击一个区域，查看其属性和规划指标。</translation>
    </message>
    <message>
        <source>Schematic shape: placed from the plan text, not surveyed</source>
        <translation>示意图形：依据规划文本布设，非测绘成果</translation>
    </message>
    <message>
        <source>Approximate shape</source>
        <translation>近似图形</translation>
    </message>
    <message>
        <source>Surveyed shape</source>
        <translation>测绘图形</translation>
    </message>
    <message>
        <source>Priority industries</source>
        <translation>重点产业</translation>
    </message>
    <message>
        <source>Geodesic area</source>
        <translation>椭球面积</translation>
    </message>
    <message>
        <source>Perimeter</source>
        <translation>周长</translation>
    </message>
    <message>
        <source>Geodesic length</source>
        <translation>椭球长度</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>量测</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Plan indicators</source>
        <translation>规划指标</translation>
    </message>
    <message>
        <source>No plan indicator is linked to this feature.</source>
        <translation>该要素未关联规划指标。</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基期</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>图层(&amp;L)</translation>
    </message>
    <message>
        <source>L&amp;anguage</source>
        <translation>语言(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Map CRS</source>
        <translation>地图坐标系</translation>
    </message>
    <message>
        <source>&amp;Open data…</source>
        <translation>打开数据(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Export web map…</source>
        <translation>导出网页地图…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom to full extent</source>
        <translation>缩放至全图</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <source>Zoom to selection</source>
        <translation>缩放至所选</translation>
    </message>
    <message>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <source>Remove layer</source>
        <translation>移除图层</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>清除选择</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Feature and plan indicators</source>
        <translation>要素与规划指标</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>bundled Dalian project</source>
        <translation>内置大连项目</translation>
    </message>
    <message>
        <source>Lon {lon:.5f}°  Lat {lat:.5f}°</source>
        <translation>经度 {lon:.5f}°  纬度 {lat:.5f}°</translation>
    </message>
    <message>
        <source>Scale 1:{scale}</source>
        <translation>比例尺 1:{scale}</translation>
    </message>
    <message>
        <source>Attribute table — {layer}</source>
        <translation>属性表 — {layer}</translation>
    </message>
    <message>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <source>Vector data ({patterns});;All files (*)</source>
        <translation>矢量数据 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Some files could not be opened</source>
        <translation>部分文件无法打开</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>GeoPackage project (*.gpkg)</source>
        <translation>GeoPackage 项目 (*.gpkg)</translation>
    </message>
    <message>
        <source>The project was not saved</source>
        <translation>项目未保存</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The project has unsaved changes. Save them first?</source>
        <translation>项目有未保存的更改。是否先保存？</translation>
    </message>
    <message>
        <source>A desktop GIS for spatial planning: the Dalian High-tech Zone&apos;s “one corridor, one core, one city, multiple clusters” layout and its plan indicators.</source>
        <translation>面向空间规划的桌面 GIS：大连高新区“一廊一心一城多组团”空间布局及其规划指标。</translation>
    </message>
    <message>
        <source>Data: © OpenStreetMap contributors (ODbL); geoBoundaries (Runfola et al. 2020). Plan shapes are schematic: placed from the plan text, not surveyed.</source>
        <translation>数据：© OpenStreetMap 贡献者（ODbL）；geoBoundaries（Runfola 等，2020）。规划图形为示意：依据规划文本布设，非测绘成果。</translation>
    </message>
    <message>
        <source>About gisapp</source>
        <translation>关于 gisapp</translation>
    </message>
</context>
</TS>
